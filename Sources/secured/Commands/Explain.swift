import ArgumentParser
import SecuredRecords

extension Secured {
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Explain an SR code: what it finds and how to fix it (all codes without one).",
            discussion: """
                The same text as the rules of the SARIF report and the hint: lines of findings, where PATH stands for the record and KEY for a key file. SR013 and SR015 are warnings (they alone pass); every other code is an error.

                Examples:
                  secured explain
                  secured explain SR011
                  secured explain sr016 --format json

                Exit status: 0 explained; 2 not an SR code (SR001 to SR021).
                """)

        @Argument(help: ArgumentHelp("An SR code, e.g. SR011 (any case); every code when omitted.", valueName: "code"))
        var code: RecordError.Code?

        @OptionGroup var output: FormatOptions<PlainFormats>

        func validate() throws {
            if let code, !code.isDiagnostic { throw ValidationError("'\(code.rawValue)' is not an SR code") }
        }

        struct Rule: Encodable {
            var code, name, severity, summary, help: String

            init(_ code: RecordError.Code) {
                self.code = code.rawValue
                name = code.ruleName
                severity = code.severity.rawValue
                summary = code.summary
                help = code.help
            }
        }

        struct Document: Encodable {
            var command = "explain"
            var rules: [Rule]
        }

        func run() throws {
            let codes = code.map { [$0] } ?? RecordError.Code.diagnostics
            if output.format == .json {
                Output.json(Document(rules: codes.map(Rule.init)))
                return
            }
            if let code {
                Output.data(
                    "\(code.rawValue) \(code.ruleName) (\(code.severity.rawValue))\n\n\(code.summary)\n\nHow to fix it: \(code.help)\n"
                )
                return
            }
            var text = ""
            for code in codes {
                let severity = code.severity.rawValue
                text +=
                    "\(code.rawValue)  \(severity)\(String(repeating: " ", count: 8 - severity.count)) \(code.summary)\n"
            }
            text += "\nsecured explain SR0xx says how to fix one.\n"
            Output.data(text)
        }
    }
}
