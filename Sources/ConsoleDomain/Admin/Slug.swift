import Foundation

/// A partner's short name in addresses: 2 to 40 of a–z, 0–9 and `-`, beginning and ending with a letter or digit.
package struct Slug: Sendable, Hashable, CustomStringConvertible {
    package let value: String

    package static let lengths = 2...40

    package init?(_ value: String) {
        let scalars = value.unicodeScalars
        guard Self.lengths.contains(scalars.count), scalars.allSatisfy(Self.allowed),
            scalars.first != "-", scalars.last != "-"
        else { return nil }
        self.value = value
    }

    package var description: String { value }

    /// A slug made from a name ("Alpine Assisted Living" → `alpine-assisted-living`): accents dropped, every
    /// run of other characters one hyphen, cut to 40 at a word boundary where there is one. Empty when the
    /// name has no letter or digit of a–z, 0–9.
    package static func suggested(from name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en"))
            .lowercased()
        var slug = ""
        for scalar in folded.unicodeScalars {
            if allowed(scalar) && scalar != "-" {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty && !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        if slug.count > lengths.upperBound {
            let cut = String(slug.prefix(lengths.upperBound))
            let endsAWord = slug.dropFirst(lengths.upperBound).first == "-"
            if !endsAWord, let hyphen = cut.lastIndex(of: "-"),
                cut.distance(from: cut.startIndex, to: hyphen) >= lengths.lowerBound
            {
                slug = String(cut[..<hyphen])
            } else {
                slug = cut
            }
            while slug.hasSuffix("-") { slug.removeLast() }
        }
        return slug
    }

    static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
    }
}
