/// Orders candidates for a goal and says, for each, the first criterion on which it lost to the
/// one above. Each goal is a list of keys compared in turn (lexicographic), so the explanation
/// is exactly the key that decided.
enum PlanRanking {
    struct Key: Sendable {
        var label: String
        /// Larger is better (negate costs and counts).
        var score: @Sendable (Plan.Candidate) -> Double
        var text: @Sendable (Plan.Candidate) -> String
        /// Differences within this fraction are ties (the roofline is an estimate: 1 % is noise).
        var tolerance: Double = 0
    }

    static let gpus = Key(label: "more GPUs", score: { -Double($0.gpus) }, text: { "\($0.gpus)" })
    static let quality = Key(label: "lower quality rank", score: { Double($0.qualityRank) },
                             text: { "\($0.scheme.id) \($0.qualityRank)" })
    static let speed = Key(label: "slower decode", score: { $0.tokensPerSecond },
                           text: { "\(String(format2: $0.tokensPerSecond)) tok/s" }, tolerance: 0.01)
    static let cost = Key(label: "costs more", score: { -($0.hourlyUSD ?? Double($0.gpus) * 1e6) },
                          text: { $0.hourlyUSD.map { "$\(String(format2: $0))/h" } ?? "no price" })
    static let warnings = Key(label: "more rule warnings", score: { -Double($0.verdicts.filter { $0.level == .warn }.count) },
                              text: { "\($0.verdicts.filter { $0.level == .warn }.count)" })
    static let headroom = Key(label: "less headroom", score: { Double($0.estimate.headroom.value) },
                              text: { ByteFormat.binary($0.estimate.headroom) }, tolerance: 0.01)

    static func keys(_ goal: PlanGoal) -> [Key] {
        switch goal {
        case .fit: [gpus, quality, warnings, speed, headroom]
        case .quality: [quality, warnings, gpus, speed, headroom]
        case .throughput: [speed, quality, warnings, gpus, headroom]
        case .cost: [cost, gpus, quality, warnings, speed, headroom]
        }
    }

    /// -1: a ranks above b, 1: below, 0: tie; with the key that decided.
    static func compare(_ a: Plan.Candidate, _ b: Plan.Candidate, goal: PlanGoal) -> (Int, Key?) {
        for k in keys(goal) {
            let x = k.score(a), y = k.score(b)
            let scale = max(abs(x), abs(y))
            if abs(x - y) <= k.tolerance * scale { continue }
            return (x > y ? -1 : 1, k)
        }
        return (0, nil)
    }

    static func better(_ a: Plan.Candidate, than b: Plan.Candidate, goal: PlanGoal) -> Bool { compare(a, b, goal: goal).0 < 0 }

    /// Stable sort by the goal's keys (ties keep catalog order: schemes, then engines in the
    /// order their catalog lists them, most used first), then the explanations.
    static func rank(_ cs: [Plan.Candidate], goal: PlanGoal) -> [Plan.Candidate] {
        var out = cs.enumerated().sorted { a, b in
            let c = compare(a.element, b.element, goal: goal).0
            return c != 0 ? c < 0 : a.offset < b.offset
        }.map(\.element)
        for i in out.indices.dropFirst() {
            let above = out[i - 1], me = out[i]
            if let k = compare(above, me, goal: goal).1 {
                out[i].lostBecause = "\(k.label) than #\(i) (\(k.text(me)) vs \(k.text(above)))"
            } else {
                out[i].lostBecause = "tied with #\(i); listed after it in catalog order"
            }
        }
        return out
    }
}
