import Testing
@testable import PushMock

@Suite("ConnectionOpening: what a connection does before its first request")
struct ConnectionOpeningStepsTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var opening: ConnectionOpening
        var onAccept: ConnectionOpening.AcceptStep
        var onHandshake: ConnectionOpening.HandshakeStep?
        var testDescription: String { "\(opening)" }
    }

    /// The table of the type's doc comment.
    static let table: [Row] = [
        Row(opening: .serve, onAccept: .handshake, onHandshake: .serve),
        Row(opening: .closeOnConnect, onAccept: .handshake, onHandshake: .close),
        Row(opening: .goAwayOnConnect, onAccept: .handshake, onHandshake: .serveThenGoAway),
        Row(opening: .noSettings, onAccept: .handshake, onHandshake: .discardInput),
        Row(opening: .stallReads, onAccept: .handshake, onHandshake: .sendSettingsThenStopReading),
        Row(opening: .stallHandshake, onAccept: .discardRawInput, onHandshake: nil),
    ]

    @Test(arguments: table)
    func steps(_ row: Row) {
        #expect(row.opening.onAccept == row.onAccept)
        #expect(row.opening.onHandshake == row.onHandshake)
    }

    @Test func theTableCoversEveryCase() {
        #expect(Set(Self.table.map { "\($0.opening)" }) == Set(ConnectionOpening.allCases.map { "\($0)" }))
    }
}
