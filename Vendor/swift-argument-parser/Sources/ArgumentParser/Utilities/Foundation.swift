//===----------------------------------------------------------------------===//
//
// This source file is part of the Swift Argument Parser open source project
//
// Copyright (c) 2025 Apple Inc. and the Swift project authors
// Licensed under Apache License v2.0 with Runtime Library Exception
//
// See https://swift.org/LICENSE.txt for license information
//
//===----------------------------------------------------------------------===//

// secured's patch (Vendor/swift-argument-parser/README.md): no Foundation. Upstream imports
// FoundationEssentials here for LocalizedError and JSONEncoder, which brought about 3 MB of
// it (and, through it, the regex engine) into secured's static binary.
internal import JSONText

extension Error {
  func describe() -> String {
    // Upstream first asks LocalizedError for errorDescription; no error of secured's is one.
    String(describing: self)
  }
}

enum JSONEncoder {
  static func encode<T: Encodable>(_ value: T) -> String {
    JSONText.encode(value, pretty: true) ?? ""
  }
}
