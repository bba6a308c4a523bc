import Testing
@testable import PushCore

@Suite("Live Activity rules: every key of a start, update and end payload")
struct LiveActivityRulesTableTests {
    static let update = #""event":"update","timestamp":1767225600,"content-state":{"score":3}"#
    static let start = #""event":"start","timestamp":1767225600,"content-state":{"score":0},"#
        + #""alert":{"title":"Kick-off"},"attributes-type":"MatchAttributes","attributes":{"home":"A"}"#

    /// `aps` members (text inside `{"aps":{…}}`) → the problem, nil when valid.
    static let table: [(aps: String, priority: Int?, context: LiveActivityRules.Context, problem: String?)] = [
        (update, nil, .device, nil),
        (update, 5, .broadcast, nil),
        (start, 10, .device, nil),
        (start + #","input-push-token":1"#, 10, .device, nil),
        (start + #","input-push-channel":"dHdvY2hhbm5lbHM="#+"\"", 10, .device, nil),
        (#""event":"end","timestamp":1,"dismissal-date":1767229200"#, nil, .device, nil),
        (update + #","stale-date":1767226500,"relevance-score":0.5"#, nil, .device, nil),
        (update, 1, .device, "push type liveactivity takes priority 5 or 10, found 1; set --priority 5 or 10 or the row's priority field"),
        (start, 10, .broadcast, "t.json: aps.event: 'start' cannot be broadcast (a channel updates or ends an activity; start one with its push-to-start token)"),
        (#""timestamp":1,"content-state":{}"#, nil, .device, "t.json: aps.event: missing (start, update or end)"),
        (#""event":"pause","timestamp":1"#, nil, .device, "t.json: aps.event: '\"pause\"' is not start, update or end"),
        (#""event":"update","content-state":{}"#, nil, .device,
         "t.json: aps.timestamp: missing (UNIX seconds of this update; {{$now}} fills it in when the push is sent)"),
        (#""event":"update","timestamp":"1767225600","content-state":{}"#, nil, .device,
         "t.json: aps.timestamp: '\"1767225600\"' is not an integer (UNIX seconds)"),
        (#""event":"update","timestamp":1.5,"content-state":{}"#, nil, .device, "t.json: aps.timestamp: '1.5' is not an integer (UNIX seconds)"),
        (update + #","stale-date":"soon""#, nil, .device, "t.json: aps.stale-date: '\"soon\"' is not an integer (UNIX seconds)"),
        (update + #","dismissal-date":1e9"#, nil, .device, "t.json: aps.dismissal-date: '1e9' is not an integer (UNIX seconds)"),
        (update + #","relevance-score":"high""#, nil, .device, "t.json: aps.relevance-score: '\"high\"' is not a number"),
        (#""event":"update","timestamp":1"#, nil, .device,
         "t.json: aps.content-state: missing; update needs the activity's ContentState as an object"),
        (#""event":"update","timestamp":1,"content-state":[1]"#, nil, .device,
         "t.json: aps.content-state: must be an object (the app's ContentState), found an array"),
        (#""event":"end","timestamp":1,"content-state":"x""#, nil, .device,
         "t.json: aps.content-state: must be an object (the app's ContentState), found a string"),
        (#""event":"start","timestamp":1,"content-state":{},"attributes-type":"M","attributes":{}"#, nil, .device,
         "t.json: aps.alert: missing; a start event must carry an alert"),
        (#""event":"start","timestamp":1,"content-state":{},"alert":"a","attributes":{}"#, nil, .device,
         "t.json: aps.attributes-type: missing; a start event names its ActivityAttributes type"),
        (#""event":"start","timestamp":1,"content-state":{},"alert":"a","attributes-type":"M""#, nil, .device,
         "t.json: aps.attributes: missing; a start event carries the activity's attributes as an object"),
        (#""event":"start","timestamp":1,"content-state":{},"alert":"a","attributes-type":"M","attributes":[]"#, nil, .device,
         "t.json: aps.attributes: must be an object, found an array"),
        (start + #","input-push-token":1,"input-push-channel":"abc""#, nil, .device,
         "t.json: aps.input-push-token: give input-push-token or input-push-channel, not both"),
        (start + #","input-push-token":true"#, nil, .device, "t.json: aps.input-push-token: 'true' is not 1 (1 asks for the activity's update token)"),
        (start + #","input-push-channel":7"#, nil, .device, "t.json: aps.input-push-channel: '7' is not a channel id"),
        (update + #","attributes-type":"M""#, nil, .device, "t.json: aps.attributes-type: only a start event carries it (this is update)"),
    ]

    @Test("Each row of the table gives its problem, or none")
    func table() throws {
        for (index, entry) in Self.table.enumerated() {
            let rules = LiveActivityRules(context: entry.context)
            var problem: String?
            do {
                _ = try rules.check(payload: Array("{\"aps\":{\(entry.aps)}}".utf8), priority: entry.priority, label: "t.json")
            } catch {
                problem = error.message
            }
            #expect(problem == entry.problem, "table row \(index)")
        }
    }

    @Test("An end without content-state passes with a finding (warned once per run), an update never does")
    func endFinding() throws {
        let rules = LiveActivityRules()
        let end = try rules.check(payload: Array(#"{"aps":{"event":"end","timestamp":5}}"#.utf8), priority: nil, label: "t")
        #expect(end.endWithoutContentState)
        let withState = try rules.check(payload: Array(#"{"aps":{"event":"end","timestamp":5,"content-state":{}}}"#.utf8),
                                        priority: nil, label: "t")
        #expect(!withState.endWithoutContentState)
    }

    @Test("No aps dictionary, or not JSON at all")
    func structure() {
        #expect(throws: RowError("t: a Live Activity payload needs an 'aps' dictionary with 'event', 'timestamp' and 'content-state'")) {
            try LiveActivityRules().check(payload: Array(#"{"event":"update"}"#.utf8), priority: nil, label: "t")
        }
        #expect(throws: RowError.self) { try LiveActivityRules().check(payload: Array("{".utf8), priority: nil, label: "t") }
    }
}
