import Testing
import PushCore
@testable import apnsctl

@Suite("-v events as text and as JSON lines")
struct EventLogFormatJSONTests {
    static let time: Int64 = 1_795_706_300_123

    static func object(_ message: String) throws -> JSONObject {
        let line = EventLogFormat.line(message, format: .json, timeMs: time)
        #expect(line.hasSuffix("\n"))
        #expect(line.dropLast().contains("\n") == false)
        return try #require(try JSONParser.parse(String(line.dropLast())).objectValue)
    }

    @Test("Text is the sentence after 'apnsctl: '")
    func text() {
        #expect(EventLogFormat.line("connection 2: closed", format: .text, timeMs: Self.time) == "apnsctl: connection 2: closed\n")
    }

    @Test("The build line is event 'build', with the line as its message")
    func build() throws {
        let object = try Self.object(BuildInfo.running.line)
        #expect(object.keys == ["time", "level", "event", "message"])
        #expect(object["event"] == .string("build"))
        #expect(object["message"] == .string(BuildInfo.running.line))
    }

    @Test("Every JSON line has time, level, event and the original message")
    func envelope() throws {
        let object = try Self.object("connection 1: closed")
        #expect(object.keys == ["time", "level", "event", "connection", "message"])
        #expect(object["time"] == .string("2026-11-26T15:18:20.123Z"))
        #expect(object["level"] == .string("info"))
        #expect(object["event"] == .string("closed"))
        #expect(object["connection"] == .number("1"))
        #expect(object["message"] == .string("connection 1: closed"))
    }

    @Test("Connection events carry their fields", arguments: [
        ("connection 1: connected to api.push.apple.com:443, TLSv1.3, ALPN h2", "connected", "info",
         ["endpoint": JSONValue.string("api.push.apple.com:443"), "tls": .string("TLSv1.3"), "alpn": .string("h2")]),
        ("connection 3: server allows 1000 concurrent streams", "settings", "info",
         ["max_concurrent_streams": .number("1000")]),
        ("connection 1: GOAWAY (error 0, last stream 2001, reason Shutdown)", "goaway", "warn",
         ["error_code": .number("0"), "last_stream_id": .number("2001"), "reason": .string("Shutdown")]),
        ("connection 1: GOAWAY (error 2, last stream 0)", "goaway", "warn",
         ["error_code": .number("2"), "last_stream_id": .number("0")]),
        ("connection 2: lost: the server closed the connection", "connection_lost", "warn",
         ["error": .string("the server closed the connection")]),
        ("connection 1: drained after GOAWAY, reconnecting", "reconnecting", "info", [:]),
        ("connection 1: 127.0.0.1:1 refused the connection (nothing listening there?)", "connect_failed", "warn",
         ["error": .string("127.0.0.1:1 refused the connection (nothing listening there?)")]),
        ("connection 1: TLS certificate verification of localhost failed: expired", "connect_failed", "warn",
         ["error": .string("TLS certificate verification of localhost failed: expired")]),
        ("connection 4: retrying 12 requests", "connection", "info", ["detail": .string("retrying 12 requests")]),
    ] as [(String, String, String, [String: JSONValue])])
    func events(message: String, event: String, level: String, fields: [String: JSONValue]) throws {
        let object = try Self.object(message)
        #expect(object["event"] == .string(event))
        #expect(object["level"] == .string(level))
        for (key, value) in fields { #expect(object[key] == value, "\(key)") }
        let expectedKeys = Set(["time", "level", "event", "connection", "message"]).union(fields.keys)
        #expect(Set(object.keys) == expectedKeys)
    }

    @Test("A sentence it does not know still becomes a valid line; quotes and control characters are escaped")
    func unknown() throws {
        let message = "something \"odd\"\twith\nbreaks"
        let object = try Self.object(message)
        #expect(object["event"] == .string("message"))
        #expect(object["message"] == .string(message))
        #expect(object["connection"] == nil)
    }
}
