import PushCore
import Testing
@testable import PushMock

@Suite("RequestValidator: Live Activity payloads are checked like the client checks them")
struct RequestValidatorLiveActivityTests {
    static func liveActivity(_ aps: String, priority: String = "10") -> MockRequest {
        Requests.valid().setting("apns-push-type", "liveactivity").setting("apns-priority", priority)
            .setting("apns-topic", "com.example.app.push-type.liveactivity").with(body: Array("{\"aps\":{\(aps)}}".utf8))
    }

    @Test("A valid update is accepted; a missing timestamp, a bad event or content-state is BadRequestPayload",
          arguments: [
              (#""event":"update","timestamp":1767225600,"content-state":{"score":1}"#, 200, nil),
              (#""event":"end","timestamp":1767225600"#, 200, nil),
              (#""event":"update","content-state":{}"#, 400, "BadRequestPayload"),
              (#""event":"stop","timestamp":1"#, 400, "BadRequestPayload"),
              (#""event":"update","timestamp":1,"content-state":"x""#, 400, "BadRequestPayload"),
              (#""event":"start","timestamp":1,"content-state":{}"#, 400, "BadRequestPayload"),
          ] as [(String, Int, String?)])
    func payloads(aps: String, status: Int, reason: String?) {
        let decision = Requests.decide(Self.liveActivity(aps))
        #expect(decision.status == status)
        #expect(decision.reason?.rawValue == reason)
    }

    @Test("Priority 1 is BadPriority for a Live Activity; other push types are not read as Live Activities")
    func priorityAndOtherTypes() {
        let valid = #""event":"update","timestamp":1,"content-state":{}"#
        #expect(Requests.decide(Self.liveActivity(valid, priority: "1")).reason == .badPriority)
        #expect(Requests.decide(Self.liveActivity(valid, priority: "5")).status == 200)
        let alert = Requests.valid().with(body: Array(#"{"aps":{"event":"nonsense"}}"#.utf8))
        #expect(Requests.decide(alert).status == 200)
    }
}
