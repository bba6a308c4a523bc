import PushCore

/// Man page prose for Live Activities, push types, `{{$now}}` and expirations.
extension ManPageProse {
    static let liveActivities = DocSection(title: "LIVE ACTIVITIES AND PUSH TYPES", blocks: [
        .paragraph("Every request carries `apns-push-type`: the row's `push_type`, else `--push-type`, else the type "
            + "the payload's `aps` keys give: liveactivity when it has `event`, alert when it has `alert`, `sound` or "
            + "`badge`, background (sent with priority 5 unless one is given) when it has only `content-available`. "
            + "A template's type is worked out once. A payload that fits none is not sent: a template that fits "
            + "none stops the run before it starts (exit 2) unless the rows have a `push_type` field, and a row's "
            + "own payload that fits none is invalid; both name `--push-type`. Each report row's `push_type` says "
            + "what it was sent with; `check` and `-v` print the type the run sends; `-vv` shows the header."),
        .paragraph("Rules per push type: location needs token authentication (`--key`) and priority 5 or 10; "
            + "liveactivity priority 5 or 10; widgets and controls `\"content-changed\": true` in `aps`. The topic "
            + "gets the type's suffix (`.push-type.liveactivity` for Live Activities)."),
        .paragraph("A liveactivity row is checked before it is sent, since APNs accepts most mistakes and the "
            + "device drops them: `event` is start, update or end; `timestamp` an integer; `content-state` an "
            + "object, required for start and update (an end without one is a warning, once per run, with the "
            + "count); a start also needs `alert`, `attributes-type` and `attributes`, and may carry "
            + "`input-push-token: 1` or `input-push-channel`, not both; `stale-date` and `dismissal-date` are "
            + "integers, `relevance-score` a number. With `--content-state-schema FILE` the content-state must have "
            + "every key of the app's ContentState with its JSON type. A failing row is invalid with the file, "
            + "the key and the problem in its reason."),
        .paragraph("Values computed when each request is sent: `{{$now}}` is the UNIX time, `{{$now+15m}}` and "
            + "`{{$now-30s}}` add or take an offset in s, m, h or d. A retried row gets the time of its retry. "
            + "`--expiration` (and a row's `expiration`) takes a UNIX time, an RFC 3339 time, or a duration from "
            + "the send such as `1h`; a time in the past and a small number such as 3600 (a duration written as a "
            + "time) are refused."),
        .paragraph("An update, then an end that dismisses the activity an hour later:"),
        .literal(#"{"aps":{"event":"update","timestamp":{{$now}},"content-state":{"home":{{home}},"away":{{away}}},"stale-date":{{$now+15m}}}}"#),
        .literal(#"{"aps":{"event":"end","timestamp":{{$now}},"content-state":{"home":{{home}},"away":{{away}}},"dismissal-date":{{$now+1h}}}}"#),
        .paragraph("When each of the first 20 answers is TopicDisallowed, BadTopic or DeviceTokenNotForTopic, the "
            + "run stops (exit 3) naming the topic and the likely fix; the rows answered so stay out of the report "
            + "for `--resume`."),
    ])
}
