import Testing
@testable import PushMock

@Suite("StreamLimitPolicy: SETTINGS_MAX_CONCURRENT_STREAMS per connection")
struct StreamLimitPolicyTransitionsTests {
    struct Step: Sendable, CustomTestStringConvertible {
        var statuses: [Int]
        /// What `record` returns for each status.
        var announced: [Int?]
        var final: Int
        var testDescription: String { statuses.map(String.init).joined(separator: ",") }
    }

    static let table: [Step] = [
        Step(statuses: [200], announced: [1000], final: 1000),
        Step(statuses: [200, 200], announced: [1000, nil], final: 1000),
        Step(statuses: [400], announced: [nil], final: 1),
        Step(statuses: [403, 403, 200], announced: [nil, nil, 1000], final: 1000),
        Step(statuses: [410, 200, 400, 200], announced: [nil, 1000, nil, nil], final: 1000),
        Step(statuses: [500, 503, 429], announced: [nil, nil, nil], final: 1),
    ]

    @Test(arguments: table)
    func tokenAuthStartsAtOneAndOpensUpAfterTheFirstAcceptedRequest(_ step: Step) {
        var policy = StreamLimitPolicy(maxStreams: 1000, tokenAuth: true)
        #expect(policy.current == 1)
        let announced = step.statuses.map { policy.record(status: $0) }
        #expect(announced == step.announced)
        #expect(policy.current == step.final)
    }

    static let dropTable: [Step] = [
        Step(statuses: [200, 400, 200], announced: [1000, 1, 1000], final: 1000),
        Step(statuses: [400], announced: [nil], final: 1),
        Step(statuses: [200, 410, 410, 429, 200], announced: [1000, 1, nil, nil, 1000], final: 1000),
        Step(statuses: [200, 200, 500], announced: [1000, nil, 1], final: 1),
        Step(statuses: [200, 403, 200, 503, 200], announced: [1000, 1, 1000, 1, 1000], final: 1000),
    ]

    @Test(arguments: dropTable)
    func withStreamDropAnyRejectionFallsToOneUntilTheNextAcceptedRequest(_ step: Step) {
        var policy = StreamLimitPolicy(maxStreams: 1000, tokenAuth: true, dropOnRejection: true)
        let announced = step.statuses.map { policy.record(status: $0) }
        #expect(announced == step.announced)
        #expect(policy.current == step.final)
    }

    @Test func streamDropWithoutTokenAuthStartsAtMaxAndStillDrops() {
        var policy = StreamLimitPolicy(maxStreams: 8, tokenAuth: false, dropOnRejection: true)
        #expect(policy.current == 8)
        #expect(policy.record(status: 200) == nil)
        #expect(policy.record(status: 400) == 1)
        #expect(policy.record(status: 200) == 8)
    }

    @Test func withoutTokenAuthTheLimitStartsAtMax() {
        var policy = StreamLimitPolicy(maxStreams: 250, tokenAuth: false)
        #expect(policy.current == 250)
        #expect(policy.record(status: 200) == nil)
        #expect(policy.record(status: 400) == nil)
        #expect(policy.current == 250)
    }

    @Test func maxOfOneNeverAnnouncesAChange() {
        var policy = StreamLimitPolicy(maxStreams: 1, tokenAuth: true)
        #expect(policy.record(status: 200) == nil)
        #expect(policy.current == 1)
    }

    @Test func negativeMaxIsRaisedToZero() {
        let policy = StreamLimitPolicy(maxStreams: -3, tokenAuth: false)
        #expect(policy.maxStreams == 0)
        #expect(policy.current == 0)
    }

    @Test("--max-streams 0: no stream ever, whatever the answers and the authentication", arguments: [true, false])
    func zeroStaysZero(tokenAuth: Bool) {
        var policy = StreamLimitPolicy(maxStreams: 0, tokenAuth: tokenAuth, dropOnRejection: true)
        #expect(policy.current == 0)
        #expect([200, 400, 200].map { policy.record(status: $0) } == [nil, nil, nil])
        #expect(policy.current == 0)
    }
}
