import SecuredRecords

/// SARIF 2.1.0 for code scanning dashboards.
enum SARIFRenderer {
    struct SARIFMessage: Encodable { var text: String }
    struct SARIFLevel: Encodable { var level: String }
    struct SARIFRule: Encodable {
        var id, name: String
        var shortDescription, fullDescription, help: SARIFMessage
        var defaultConfiguration: SARIFLevel
    }
    struct SARIFArtifact: Encodable {
        var uri: String
        var uriBaseId: String?
    }
    struct SARIFRegion: Encodable { var startLine: Int }
    struct SARIFPhysical: Encodable {
        var artifactLocation: SARIFArtifact
        var region: SARIFRegion
    }
    struct SARIFLocation: Encodable { var physicalLocation: SARIFPhysical }
    struct SARIFNotification: Encodable {
        var level = "note"
        var message: SARIFMessage
        var locations: [SARIFLocation]?
    }
    struct SARIFResult: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: SARIFMessage
        var locations: [SARIFLocation]
        var partialFingerprints: [String: String]
    }

    /// SARIF 2.1.0 for code scanning: each SR code a rule (SPEC section 7's text and how to
    /// fix it), each finding a result located relative to the repository root, with a
    /// fingerprint that survives lines inserted above it; notes are tool notifications;
    /// shards get an automation id each. Results stream as they are read back.
    static func render(_ results: AuditRun, command: String, shard: (index: Int, count: Int)?) {
        var locator = FindingLocator(workingDirectory: WorkingDirectory.current)
        let rules = RecordError.Code.diagnostics
        func location(_ path: String, line: Int?) -> SARIFLocation {
            let artifact =
                locator.relativeURI(path).map { SARIFArtifact(uri: $0, uriBaseId: "SRCROOT") }
                ?? SARIFArtifact(uri: locator.absoluteURI(path), uriBaseId: nil)
            return SARIFLocation(
                physicalLocation: SARIFPhysical(artifactLocation: artifact, region: SARIFRegion(startLine: line ?? 1)))
        }
        let ruleList = rules.map { code in
            SARIFRule(
                id: code.rawValue, name: code.ruleName, shortDescription: SARIFMessage(text: code.summary),
                fullDescription: SARIFMessage(text: code.summary + " " + "(SPEC section 7)"),
                help: SARIFMessage(text: code.help),
                defaultConfiguration: SARIFLevel(level: code.severity == .error ? "error" : "warning"))
        }
        let notes = results.notes.map { note in
            SARIFNotification(
                message: SARIFMessage(text: note.advisedMessage),
                locations: note.path.map { [location($0, line: note.line)] })
        }
        var sink = TextSink(.json)
        sink.write(
            "{\n  \"$schema\" : \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\" : \"2.1.0\",\n")
        sink.write("  \"runs\" : [\n    {\n")
        if let shard {
            sink.write(
                "      \"automationDetails\" : {\"id\" : \(JSONObjectWriter.compact("secured/\(command)/shard-\(shard.index)-of-\(shard.count)/"))},\n"
            )
        }
        sink.write("      \"invocations\" : [{\"executionSuccessful\" : \(results.ioFailure == nil), ")
        sink.write(
            "\"toolExecutionNotifications\" : [\(notes.map { JSONObjectWriter.compact($0) }.joined(separator: ", "))]}],\n"
        )
        sink.write(
            "      \"originalUriBaseIds\" : {\"SRCROOT\" : {\"uri\" : \(JSONObjectWriter.compact(locator.rootURI))}},\n"
        )
        sink.write("      \"results\" : [")
        var first = true
        results.forEachFinding { f in
            guard let index = rules.firstIndex(of: f.code) else { return }
            let place = location(f.file, line: f.line)
            let uri = place.physicalLocation.artifactLocation.uri
            let result = SARIFResult(
                ruleId: f.code.rawValue, ruleIndex: index, level: f.severity == .error ? "error" : "warning",
                message: SARIFMessage(text: f.reason), locations: [place],
                partialFingerprints: ["securedFinding/v1": locator.fingerprint(of: f, uri: uri)])
            sink.write((first ? "\n        " : ",\n        ") + JSONObjectWriter.compact(result))
            first = false
        }
        sink.write(first ? "],\n" : "\n      ],\n")
        sink.write(
            "      \"tool\" : {\"driver\" : {\"name\" : \"secured\", \"semanticVersion\" : \(JSONObjectWriter.compact(Secured.version)), "
        )
        sink.write(
            "\"rules\" : [\n        \(ruleList.map { JSONObjectWriter.compact($0) }.joined(separator: ",\n        "))\n      ]}}\n"
        )
        sink.write("    }\n  ]\n}\n")
        sink.flush()
    }
}
