/// The storage policy of each channel, read from a file `apnsctl channel create` or `channel read` wrote
/// (`broadcast --channels FILE`): a broadcast row that does not say its channel's `storage_policy` takes it from
/// here, and a row on a channel the file does not hold as live is `invalid` before anything is sent.
///
/// | a line of the file                                  | read as                                      |
/// |-----------------------------------------------------|----------------------------------------------|
/// | `channel_id` and `storage_policy` 0 or 1            | a live channel with that policy              |
/// | `channel_id` without `storage_policy` (a rejected read, a delete) | not live: rows on it are invalid |
/// | no `channel_id`, a malformed line, another policy   | the file is refused, naming the line         |
/// | no line with a `storage_policy` field at all        | the file is refused (not a channel file)     |
///
/// Bounded: APNs keeps at most 10,000 channels per app and environment, so a file of more than `maxChannels`
/// lines is refused rather than held in memory.
public struct ChannelPolicies: Sendable {
    public static let maxChannels = 100_000

    /// Channel id → 0 (No Message Stored) or 1 (Most Recent Message Stored).
    public private(set) var policies: [String: Int] = [:]
    /// How messages name the file (`channels.csv (--channels)`).
    public let source: String

    public init(policies: [String: Int], source: String) {
        self.policies = policies
        self.source = source
    }

    /// Reads `reader` to its end. `name` is the file's name in messages.
    public init(reader: inout some RecordReader, name: String) throws(InputError) {
        source = "\(name) (--channels)"
        var lines = 0, hasPolicyField = false
        while true {
            let record: InputRecord?
            do {
                record = try reader.next()
            } catch let error as InputError {
                throw error
            } catch {
                throw InputError("\(name): \(error)")
            }
            guard let record else { break }
            lines += 1
            if lines > Self.maxChannels {
                throw InputError("\(name): more than \(Self.maxChannels) channels; APNs keeps at most 10,000 per app "
                    + "and environment: is this a channel file written by apnsctl channel?", kind: .unusable)
            }
            switch record.content {
            case .malformed(let message):
                throw InputError("\(name):\(record.line): \(message)", kind: .unusable)
            case .fields(let fields):
                guard let id = KeptValue(fields.value(named: "channel_id"))?.text, !id.isEmpty else {
                    throw InputError("\(name):\(record.line): no channel_id (a channel file is what apnsctl channel "
                        + "create or read writes)", kind: .unusable)
                }
                let policy = fields.value(named: "storage_policy")
                hasPolicyField = hasPolicyField || policy != nil
                switch KeptValue(policy)?.text {
                case nil, ""?: policies[id] = nil   // read rejected or deleted: not a live channel
                case "0"?: policies[id] = 0
                case "1"?: policies[id] = 1
                case let other?:
                    throw InputError("\(name):\(record.line): storage_policy '\(other)' is not 0 or 1", kind: .unusable)
                }
            }
        }
        if lines > 0 && !hasPolicyField {
            throw InputError("\(name): no line has a storage_policy field: give what apnsctl channel create or read "
                + "wrote", kind: .unusable)
        }
    }

    /// The policy of `channel`, or why a broadcast on it is not sent.
    func policy(of channel: String) throws(RowError) -> Int {
        guard let policy = policies[channel] else {
            throw RowError("channel \(channel) is not a live channel in \(source): create it (apnsctl channel create) "
                + "or read it again (apnsctl channel read)")
        }
        return policy
    }
}
