/// How far out of order one connection's answers went, for `--stats` (`late_answers`, `max_reorder`).
/// A client opens streams in the order it submits requests, with ids 1, 3, 5, …, so the distance between two
/// stream ids over 2 is how many requests apart they were submitted.
///
/// | answered stream s, newest answered so far n | reorder | late |
/// |---|---|---|
/// | s > n | 0 (n becomes s) | no |
/// | s ≤ n | (n − s) / 2 requests | when n ≥ s + 2000: a request 1,000 newer was answered first |
///
/// Two comparisons per answer: cheap enough for the bench's 100k answers a second.
public struct AnswerOrder: Sendable, Equatable {
    /// Stream-id distance that makes an answer late: 1,000 requests.
    public static let lateDistance: Int32 = 2000

    /// The highest stream id answered so far (0: none).
    public private(set) var newestAnswered: Int32 = 0
    /// The largest reorder seen, in requests.
    public private(set) var maxReorder = 0

    public init() {}

    /// Records the answer to `stream`. `late`: a request at least 1,000 newer was answered before it;
    /// `newMaximum`: `maxReorder` grew.
    public mutating func answered(stream: Int32) -> (late: Bool, newMaximum: Bool) {
        guard stream <= newestAnswered else {
            newestAnswered = stream
            return (false, false)
        }
        let distance = newestAnswered - stream
        let reorder = Int(distance / 2)
        let grew = reorder > maxReorder
        if grew { maxReorder = reorder }
        return (distance >= Self.lateDistance, grew)
    }
}
