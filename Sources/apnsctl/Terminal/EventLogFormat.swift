import PushCore

/// The `-v` connection events on stderr, as text (`apnsctl: connection 1: closed`) or, with
/// `--log-format json`, one JSON object per line for log shippers:
///
///     {"time":"2026-11-27T09:58:20.123Z","level":"info","event":"connected","connection":1,
///      "endpoint":"api.push.apple.com:443","tls":"TLSv1.3","alpn":"h2","message":"connection 1: connected to ..."}
///
/// Events come from PushCore as sentences (`EventLog`); this recognises the connection events and lifts
/// their fields out. A sentence it does not know still becomes a line, with event `message`. Events never
/// carry a secret: PushCore logs no keys, tokens or payloads.
enum EventLogFormat {
    static func line(_ message: String, format: LogFormat, timeMs: Int64) -> String {
        switch format {
        case .text:
            // GOAWAY debug data and other server text: escaped, so a server cannot drive the terminal.
            return "apnsctl: \(TerminalText.escape(message))\n"
        case .json:
            let event = parse(message)
            var object = JSONObject()
            object.append(key: "time", value: .string(RFC3339.format(epochMilliseconds: timeMs)))
            object.append(key: "level", value: .string(event.level))
            object.append(key: "event", value: .string(event.name))
            for (key, value) in event.fields { object.append(key: key, value: value) }
            object.append(key: "message", value: .string(message))
            return String(decoding: JSONWriter.serialize(.object(object)), as: UTF8.self) + "\n"
        }
    }

    struct Event: Equatable {
        var name: String
        var level: String
        var fields: [(String, JSONValue)]

        static func == (a: Event, b: Event) -> Bool {
            a.name == b.name && a.level == b.level && a.fields.map(\.0) == b.fields.map(\.0)
                && a.fields.map(\.1) == b.fields.map(\.1)
        }
    }

    /// The event name, level and fields of one PushCore log sentence.
    static func parse(_ message: String) -> Event {
        if message.hasPrefix("\(CommandTable.programName) ") {
            return Event(name: "build", level: "info", fields: [])   // BuildInfo.line, logged first
        }
        if message.hasPrefix("push type: "), let type = message.dropFirst("push type: ".count).split(separator: " ").first {
            return Event(name: "push_type", level: "info", fields: [("push_type", .string(String(type)))])
        }
        guard message.hasPrefix("connection "), let colon = message.firstIndex(of: ":"),
              let id = Int(message[message.index(message.startIndex, offsetBy: 11)..<colon]) else {
            return Event(name: "message", level: "info", fields: [])
        }
        var fields: [(String, JSONValue)] = [("connection", .number(String(id)))]
        let text = String(message[message.index(after: colon)...].drop { $0 == " " })

        if text.hasPrefix("connected to ") {
            let parts = text.dropFirst("connected to ".count).split(separator: ",").map { $0.trimmingSpaces }
            if parts.count >= 1 { fields.append(("endpoint", .string(parts[0]))) }
            if parts.count >= 2 { fields.append(("tls", .string(parts[1]))) }
            if parts.count >= 3, parts[2].hasPrefix("ALPN ") { fields.append(("alpn", .string(String(parts[2].dropFirst(5))))) }
            return Event(name: "connected", level: "info", fields: fields)
        }
        if text.hasPrefix("server allows "), let number = text.dropFirst("server allows ".count).split(separator: " ").first,
           Int(number) != nil {
            fields.append(("max_concurrent_streams", .number(String(number))))
            return Event(name: "settings", level: "info", fields: fields)
        }
        if text.hasPrefix("GOAWAY (") && text.hasSuffix(")") {
            for part in text.dropFirst("GOAWAY (".count).dropLast().split(separator: ",").map({ $0.trimmingSpaces }) {
                if part.hasPrefix("error "), Int(part.dropFirst(6)) != nil {
                    fields.append(("error_code", .number(String(part.dropFirst(6)))))
                } else if part.hasPrefix("last stream "), Int(part.dropFirst(12)) != nil {
                    fields.append(("last_stream_id", .number(String(part.dropFirst(12)))))
                } else if part.hasPrefix("reason ") {
                    fields.append(("reason", .string(String(part.dropFirst(7)))))
                }
            }
            return Event(name: "goaway", level: "warn", fields: fields)
        }
        if text.hasPrefix("lost: ") {
            fields.append(("error", .string(String(text.dropFirst(6)))))
            return Event(name: "connection_lost", level: "warn", fields: fields)
        }
        if text == "closed" { return Event(name: "closed", level: "info", fields: fields) }
        if text.hasPrefix("drained after GOAWAY") { return Event(name: "reconnecting", level: "info", fields: fields) }
        // What is left is a failed connection attempt (ConnectionWorker logs the error), or a sentence this
        // does not know yet, which is passed on without a guess.
        let failureWords = ["refused", "unreachable", "timed out", "cannot connect", "cannot resolve", "no usable address",
                            "TLS", "connection lost"]
        if failureWords.contains(where: text.contains) {
            fields.append(("error", .string(text)))
            return Event(name: "connect_failed", level: "warn", fields: fields)
        }
        fields.append(("detail", .string(text)))
        return Event(name: "connection", level: "info", fields: fields)
    }
}

private extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
