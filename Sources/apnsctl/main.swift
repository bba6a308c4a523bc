import Foundation

Output.ignoreBrokenPipeSignal()
exit(apnsctlMain(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
