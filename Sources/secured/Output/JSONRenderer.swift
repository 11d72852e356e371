import SecuredRecords

/// One JSON document on stdout, members in sorted key order; findings stream one a line.
enum JSONRenderer {
    static func render(_ results: AuditRun, elapsed: Double) {
        var document = JSONObjectWriter()
        document.add("corpusChecksCoverShardOnly", results.corpusChecksCoverShardOnly)
        var counts = JSONObjectWriter()
        for (code, count) in results.countsByCode { counts.add(code, count) }
        document.add("counts", object: counts)
        document.add("elapsedSeconds", (elapsed * 1000).rounded() / 1000)
        document.add("errors", results.errorCount)
        document.add("findings") { sink, indent in
            var first = true
            sink.write("[")
            results.forEachFinding { finding in
                sink.write((first ? "\n" : ",\n") + indent + "  " + JSONObjectWriter.compact(JSONFinding(finding)))
                first = false
            }
            sink.write(first ? "]" : "\n\(indent)]")
        }
        if let failure = results.ioFailure { document.add("ioFailure", failure) }
        document.add("notes") { sink, indent in
            let notes = results.notes.map { "\n\(indent)  " + JSONObjectWriter.compact(JSONNote($0)) }
            sink.write("[\(notes.joined(separator: ","))\(notes.isEmpty ? "" : "\n\(indent)")]")
        }
        document.add("recordsChecked", results.recordsChecked)
        document.add("recordsPassed", results.recordsPassed)
        document.add("tool", "secured")
        document.add("version", Secured.version)
        document.add("warnings", results.warningCount)
        document.add("yamlChecks", ["libyaml": results.yamlChecks.libyaml, "onePass": results.yamlChecks.onePass])
        var sink = TextSink(.json)
        document.write(to: &sink)
        sink.write("\n")
        sink.flush()
    }
}
