/// The end-of-run summary as one JSON object (`apnsctl send --summary-json`): the same facts as `render()`,
/// with stable snake_case keys, for scripts and dashboards.
///
///     {"endpoint":"api.push.apple.com:443","started_at":"2026-11-27T09:58:20.000Z",
///      "ended_at":"2026-11-27T09:58:21.234Z","elapsed_seconds":1.234,"rows_per_second":89.1,
///      "rows":{"total":110,"delivered":100,"rejected":7,"failed":1,"invalid":2},
///      "statuses":{"200":100,"400":5,"410":2},"reasons":{"BadDeviceToken":5,...},"other_reasons":0,
///      "latency_ms":{"p50":47,"p90":89.9,"p99":99.1,"max":100},"connections_opened":4,"goaways":1}
///
/// `statuses` are in code order; `reasons` by count, then name (all counted reasons, up to
/// `maxDistinctReasons`); `latency_ms` is null when nothing was answered; `endpoint` is null when
/// nothing was sent.
extension RunSummary {
    /// `extra` members (the campaign name, the exit status, the build line) are appended in order.
    public func renderJSON(extra: [(key: String, value: JSONValue)] = []) -> String {
        var object = JSONObject()
        object.append(key: "endpoint", value: endpoint.map { .string($0.description) } ?? .null)
        object.append(key: "started_at", value: .string(RFC3339.format(epochMilliseconds: startedAtMs)))
        object.append(key: "ended_at", value: .string(RFC3339.format(
            epochMilliseconds: endedAtMs ?? lastFinishedAtMs ?? startedAtMs)))
        let duration = durationSeconds
        object.append(key: "elapsed_seconds", value: Self.number(duration, digits: 3))
        object.append(key: "rows_per_second", value: Self.number(duration > 0 ? Double(total) / duration : 0, digits: 1))

        object.append(key: "rows", value: rowsJSON)

        var statuses = JSONObject()
        for (status, n) in statusCounts.sorted(by: { $0.key < $1.key }) {
            statuses.append(key: String(status), value: .number(String(n)))
        }
        object.append(key: "statuses", value: .object(statuses))

        var reasons = JSONObject()
        for (reason, n) in sortedReasons { reasons.append(key: reason, value: .number(String(n))) }
        object.append(key: "reasons", value: .object(reasons))
        object.append(key: "other_reasons", value: .number(String(otherReasons)))

        if latency.count == 0 {
            object.append(key: "latency_ms", value: .null)
        } else {
            var percentiles = JSONObject()
            for (name, value) in [("p50", latency.percentile(50)), ("p90", latency.percentile(90)),
                                  ("p99", latency.percentile(99)), ("max", latency.max)] {
                percentiles.append(key: name, value: Self.number(value ?? 0, digits: 3))
            }
            object.append(key: "latency_ms", value: .object(percentiles))
        }
        object.append(key: "connections_opened", value: .number(String(connectionsOpened)))
        object.append(key: "reconnects", value: .number(String(reconnects)))
        object.append(key: "circuit_openings", value: .number(String(circuitOpenings)))
        object.append(key: "goaways", value: .number(String(goAways)))
        for member in extra { object.append(key: member.key, value: member.value) }
        return String(decoding: JSONWriter.serialize(.object(object)), as: UTF8.self) + "\n"
    }

    /// `{"total":…,"delivered":…,…,"stopped":…}`: rows per outcome, and the rows a run-level stop left out.
    public var rowsJSON: JSONValue {
        var rows = JSONObject()
        rows.append(key: "total", value: .number(String(total)))
        for outcome in Outcome.allCases { rows.append(key: outcome.rawValue, value: .number(String(count(outcome)))) }
        rows.append(key: "stopped", value: .number(String(stopped)))
        return .object(rows)
    }

    /// Reasons by count (most first), then by name.
    public var sortedReasons: [(reason: String, count: Int)] {
        reasonCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// A JSON number with at most `digits` decimals (trailing zeros dropped).
    static func number(_ value: Double, digits: Int) -> JSONValue {
        var text: [UInt8] = []
        DecimalText.appendDecimal(value, maxFractionDigits: digits, to: &text)
        return .number(String(decoding: text, as: UTF8.self))
    }
}
