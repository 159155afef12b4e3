/// A compatibility or advice rule, kept as data (catalogs/rules/*.yaml) so a user's catalog can
/// add one without a code change. A rule fires when every condition in `when` matches the
/// subject and, if it has a `check`, that check fails; the verdict then carries the rule's level,
/// id, reason and sources, so the output can say which rule decided and why.
public struct Rule: Sendable, Identifiable {
    public enum Level: String, Sendable, CaseIterable, Comparable {
        /// Worth saying, changes nothing (informational).
        case allow
        /// Runs, but differently than asked (a fallback kernel, a slower path, an experimental feature).
        case warn
        /// Does not run: the engine refuses it or the kernels do not exist for this GPU.
        case forbid

        var order: Int { self == .allow ? 0 : self == .warn ? 1 : 2 }
        public static func < (a: Level, b: Level) -> Bool { a.order < b.order }
    }

    public var id: String
    public var level: Level
    public var when: RuleCondition
    public var check: RuleCheck?
    /// Why, in words; `{gpu}`, `{cc}`, `{scheme}`, `{engine}`, `{tp}`, `{pp}`, `{heads}`, `{kv_heads}`,
    /// `{experts}`, `{kv_cache}`, `{nodes}`, `{model}` and `{scheme_engines}` are filled in from the subject.
    public var reason: String
    /// What to do instead (`run fp16`, `use pipeline parallel across nodes`), if anything.
    public var advice: String?
    public var source: [String]

    public init(id: String, level: Level, when: RuleCondition = RuleCondition(), check: RuleCheck? = nil, reason: String,
                advice: String? = nil, source: [String] = []) {
        self.id = id; self.level = level; self.when = when; self.check = check; self.reason = reason
        self.advice = advice; self.source = source
    }

    /// The verdict when the rule fires for `s`, nil when it does not apply.
    public func evaluate(_ s: RuleSubject) -> Verdict? {
        guard when.matches(s) else { return nil }
        if let check, check.holds(s) { return nil }
        return Verdict(level: level, ruleId: id, reason: s.fill(reason), advice: advice.map(s.fill), source: source)
    }
}

/// What a rule said about one configuration.
public struct Verdict: Sendable, Equatable, CustomStringConvertible {
    public var level: Rule.Level
    public var ruleId: String
    public var reason: String
    public var advice: String?
    public var source: [String]

    public init(level: Rule.Level, ruleId: String, reason: String, advice: String? = nil, source: [String] = []) {
        self.level = level; self.ruleId = ruleId; self.reason = reason; self.advice = advice; self.source = source
    }

    /// `forbid [tp-divides-kv-heads]: … — advice`
    public var description: String {
        "\(level.rawValue) [\(ruleId)]: \(reason)" + (advice.map { " — \($0)" } ?? "")
    }
}

extension Array where Element == Rule {
    /// Every verdict of the rules that fire, most severe first (ties keep catalog order).
    public func evaluate(_ s: RuleSubject) -> [Verdict] {
        // The condition is read in place and a rule is only asked for its verdict when it applies:
        // `compactMap` copied every rule (its strings and lists) to ask it, and the sweep asks
        // every rule about every configuration.
        var fired: [Verdict] = []
        for i in indices where self[i].when.matches(s) {
            if let v = self[i].evaluate(s) { fired.append(v) }
        }
        guard fired.count > 1 else { return fired }
        return fired.enumerated().sorted { a, b in
            a.element.level != b.element.level ? a.element.level > b.element.level : a.offset < b.offset
        }.map(\.element)
    }
}

extension Array where Element == Verdict {
    /// The first forbidding verdict, if any: the reason a configuration is dropped.
    public var forbidding: Verdict? { first { $0.level == .forbid } }
    public var warnings: [Verdict] { filter { $0.level == .warn } }
}
