/// Wall-clock seconds `body` took: for tests that bound the cost of hostile input (generously: the machine is
/// shared, and a quadratic path takes minutes where a linear one takes well under a second).
func elapsedSeconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}
