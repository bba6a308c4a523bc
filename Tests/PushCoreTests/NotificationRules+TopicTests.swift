import Testing
@testable import PushCore

@Suite("Notification rules: topic suffix per push type")
struct NotificationRulesTopicTests {
    @Test("A bare bundle ID gets the push type's suffix", arguments: [
        (PushType.voip, "com.example.app.voip"),
        (.liveactivity, "com.example.app.push-type.liveactivity"),
        (.complication, "com.example.app.complication"),
        (.fileprovider, "com.example.app.pushkit.fileprovider"),
        (.location, "com.example.app.location-query"),
        (.pushtotalk, "com.example.app.voip-ptt"),
        (.widgets, "com.example.app.push-type.widgets"),
        (.controls, "com.example.app.push-type.controls"),
    ])
    func suffixAdded(type: PushType, expected: String) throws {
        #expect(try NotificationRules.topic("com.example.app", for: type) == expected)
        // Already suffixed: kept as it is, never doubled.
        #expect(try NotificationRules.topic(expected, for: type) == expected)
    }

    @Test("Alert, background, mdm and no push type keep a bare bundle ID")
    func bareTypes() throws {
        for type in [PushType.alert, .background, .mdm, nil] {
            #expect(try NotificationRules.topic("com.example.app", for: type) == "com.example.app")
        }
        // mdm topics come from the certificate and may look like anything.
        #expect(try NotificationRules.topic("com.apple.mgmt.External.voip", for: .mdm) == "com.apple.mgmt.External.voip")
    }

    @Test("A suffix of another push type is refused with both suffixes named")
    func contradiction() {
        #expect(throws: RowError("field 'topic': 'com.example.app.complication' ends in '.complication', the suffix for push "
            + "type complication; push type voip needs '.voip' (give the bare bundle ID and apnsctl adds it)")) {
            try NotificationRules.topic("com.example.app.complication", for: .voip, label: "field 'topic'")
        }
        // .voip-ptt is push to talk, not voip: the longest suffix is the one recognised.
        #expect(throws: RowError("--topic: 'com.example.app.voip-ptt' ends in '.voip-ptt', the suffix for push type "
            + "pushtotalk; push type voip needs '.voip' (give the bare bundle ID and apnsctl adds it)")) {
            try NotificationRules.topic("com.example.app.voip-ptt", for: .voip, label: "--topic")
        }
        #expect(throws: RowError("topic: 'com.example.app.voip' ends in '.voip', the suffix for push type voip; push "
            + "type alert is sent to the bare bundle ID")) {
            try NotificationRules.topic("com.example.app.voip", for: .alert)
        }
    }

    @Test("Rows get the suffix of their own push type")
    func preparerAddsSuffix() throws {
        let preparer = RowPreparer(template: try PayloadTemplate(text: #"{"aps":{"alert":"x"}}"#),
                                   defaults: NotificationDefaults(topic: "com.example.app", pushType: .alert))
        guard case .notification(let plain) = preparer.prepare(csvRecord(["token": "aa"])),
              case .notification(let voip) = preparer.prepare(csvRecord(["token": "aa", "push_type": "voip"])) else {
            Issue.record("expected notifications")
            return
        }
        #expect(plain.topic == "com.example.app")
        #expect(voip.topic == "com.example.app.voip")
        #expect(invalidMessage(preparer.prepare(csvRecord(["token": "aa", "topic": "com.example.app.voip"]))) ==
            "field 'topic': 'com.example.app.voip' ends in '.voip', the suffix for push type voip; push type alert "
            + "is sent to the bare bundle ID")
        #expect(invalidMessage(preparer.prepare(csvRecord(["token": "aa", "push_type": "widgets", "topic": "com.x.voip"]))) ==
            "field 'topic': 'com.x.voip' ends in '.voip', the suffix for push type voip; push type widgets needs "
            + "'.push-type.widgets' (give the bare bundle ID and apnsctl adds it)")
    }
}
