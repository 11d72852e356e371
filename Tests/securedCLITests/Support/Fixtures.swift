import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A plaintext record with front matter and a two-line body: what most tests seal.
let plainRecord = "---\ntitle: \"Hello\"\ntags: [a, b]\n---\n\nThe secret body text, line one.\nLine two.\n"

/// Counts the test cases and failures of a JUnit report.
final class JUnitCounter: NSObject, XMLParserDelegate {
    var testcases = 0
    var failures = 0
    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if name == "testcase" { testcases += 1 }
        if name == "failure" { failures += 1 }
    }
}
