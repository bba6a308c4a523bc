import Foundation

Output.ignoreBrokenPipeSignal()
Output.unblockStopSignals()
exit(apnsctlMain(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
