/// vramfit's exit codes (README, "Exit codes"); scripts branch on them, so they are a contract.
enum ExitCodes {
    /// An answer was given.
    static let ok: Int32 = 0
    /// `estimate --check`: the configuration does not fit.
    static let doesNotFit: Int32 = 1
    /// Invalid input of any kind (unknown names with a did-you-mean, impossible values, malformed YAML).
    static let invalidInput: Int32 = 2
    /// `plan` and `sweep`: the input was valid, but nothing searched fits that no rule forbids.
    /// Distinct from 1 so that `plan … || …` can tell "no plan exists" from a failed `--check`.
    static let nothingFits: Int32 = 3
}
