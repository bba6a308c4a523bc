import Foundation

Output.ignoreBrokenPipeSignal()
exit(main(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
