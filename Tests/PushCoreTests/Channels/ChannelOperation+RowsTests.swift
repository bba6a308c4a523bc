import Testing
@testable import PushCore

/// What each channel operation's answers become in `apnsctl channel`'s output.
@Suite("ChannelOperation: requests and output rows")
struct ChannelOperationRowsTests {
    static func answer(_ outcome: Outcome, token: String = "Y2g=", status: Int? = 200, reason: String? = nil,
                       body: String? = nil) -> ReportRow {
        var row = ReportRow(line: 1, token: token, outcome: outcome, status: status, reason: reason, apnsID: "req",
                            finishedAtMs: 0)
        row.answerBody = body.map { Array($0.utf8) }
        return row
    }

    @Test("create asks for the storage policy and LiveActivity, with a UUID request id")
    func createRequest() {
        let request = ChannelOperation.create.request(line: 3, bundleID: "com.example.app", storagePolicy: 0)
        #expect(request.kind == .createChannel && request.topic == "com.example.app" && request.token.isEmpty)
        #expect(String(decoding: request.payload, as: UTF8.self) == #"{"message-storage-policy":0,"push-type":"LiveActivity"}"#)
        #expect((try? NotificationRules.apnsID(request.apnsID ?? "")) == request.apnsID, "a canonical UUID")
        let other = ChannelOperation.create.request(line: 4, bundleID: "com.example.app")
        #expect(other.apnsID != request.apnsID, "one UUID per request")
        #expect(ChannelOperation.delete.request(line: 1, bundleID: "b", channelID: "x").payload.isEmpty)
    }

    @Test("create: the new channel with its policy; read: the policy and push type from the body")
    func createAndRead() {
        let created = ChannelOperation.create.rows(for: Self.answer(.delivered, token: "bmV3", status: 201), storagePolicy: 0)
        #expect(created == [ChannelRow(channelID: "bmV3", storagePolicy: 0, pushType: "LiveActivity", requestID: "req",
                                       outcome: "created", status: 201)])
        let read = ChannelOperation.read.rows(for: Self.answer(.delivered,
            body: #"{"message-storage-policy":1,"push-type":"LiveActivity"}"#))
        #expect(read.first?.storagePolicy == 1 && read.first?.pushType == "LiveActivity" && read.first?.outcome == "read")
    }

    @Test("list: one row per channel; refusals keep their reason")
    func listAndRefused() {
        let listed = ChannelOperation.list.rows(for: Self.answer(.delivered, token: "", body: #"{"channels":["a","b","c"]}"#))
        #expect(listed.map(\.channelID) == ["a", "b", "c"] && listed.allSatisfy { $0.outcome == "listed" })
        #expect(ChannelOperation.list.rows(for: Self.answer(.delivered, token: "", body: #"{"channels":[]}"#)).isEmpty)
        #expect(ChannelOperation.list.rows(for: Self.answer(.delivered, token: "", body: "{}")).first?.outcome == "failed")
        let refused = ChannelOperation.delete.rows(for: Self.answer(.rejected, status: 400, reason: "ChannelNotRegistered"))
        #expect(refused == [ChannelRow(channelID: "Y2g=", requestID: "req", outcome: "rejected", status: 400,
                                       reason: "ChannelNotRegistered")])
        #expect(!refused[0].succeeded && listed[0].succeeded)
    }

    @Test("JSONL and CSV lines carry the seven columns in order")
    func encoding() {
        let row = ChannelRow(channelID: "a,b", storagePolicy: 0, pushType: "LiveActivity", requestID: "r",
                             outcome: "created", status: 201)
        #expect(row.jsonLine == #"{"channel_id":"a,b","storage_policy":0,"push_type":"LiveActivity","apns_request_id":"r","outcome":"created","status":201,"reason":null}"# + "\n")
        #expect(ChannelRow.csvHeader == "channel_id,storage_policy,push_type,apns_request_id,outcome,status,reason\n")
        #expect(row.csvLine == "\"a,b\",0,LiveActivity,r,created,201,\n")
    }

    @Test("the management hosts and ports differ per environment, and from the push hosts")
    func endpoints() {
        #expect(APNsEnvironment.production.managementEndpoint == Endpoint(host: "api-manage-broadcast.push.apple.com", port: 2196))
        #expect(APNsEnvironment.sandbox.managementEndpoint == Endpoint(host: "api-manage-broadcast.sandbox.push.apple.com", port: 2195))
    }
}
