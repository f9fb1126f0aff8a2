import Foundation
import HaatCore
import HaatStore

/// What approving a revision would change, field by field, for the admin's queue.
///
/// A line diff of the two texts is noisy: an edit made in the dashboard's form rewrites the
/// YAML (quotes, phone format, key order), so one new price shows as thirty changed lines.
/// Both texts are parsed as the build parses them and compared by meaning: a field is
/// listed only when what the site would show (or the admin must check) differs.
public struct RevisionChanges: Sendable, Equatable {
    /// One changed field, before and after in words (nil: absent on that side).
    public struct Field: Sendable, Equatable {
        public let key: String
        public let label: String
        public let before: String?
        public let after: String?
    }

    /// A portfolio picture that is new in the current revision, or replaced under its name.
    public struct Picture: Sendable, Equatable {
        public enum Change: String, Sendable { case added, replaced }
        public let name: String
        public let change: Change
    }

    /// The changed fields; nil when either text does not parse (the raw diff still tells).
    public let fields: [Field]?
    public let pictures: [Picture]

    public init(approved: StoredRevision?, current: StoredRevision, catalog: Catalog) {
        let parser = CreatorParser(catalog: catalog)
        func parse(_ revision: StoredRevision) -> Creator? {
            try? parser.parse(text: revision.text, slug: revision.slug, path: "index.md", imageNames: Set(revision.images.map(\.name))).get()
        }
        let after = parse(current)
        if let after, let approved {
            fields = parse(approved).map { before in
                let old = Self.describe(before, catalog: catalog), new = Self.describe(after, catalog: catalog)
                return new.indices.compactMap { index in
                    old[index].value == new[index].value ? nil
                        : Field(key: new[index].key, label: new[index].label, before: old[index].value, after: new[index].value)
                }
            }
        } else if let after, approved == nil {
            fields = Self.describe(after, catalog: catalog).compactMap { described in
                described.value.map { Field(key: described.key, label: described.label, before: nil, after: $0) }
            }
        } else {
            fields = nil
        }
        let approvedDigests = Dictionary((approved?.images ?? []).map { ($0.name, $0.sha256) }, uniquingKeysWith: { first, _ in first })
        pictures = current.images.compactMap { image in
            switch approvedDigests[image.name] {
            case nil: Picture(name: image.name, change: .added)
            case image.sha256: nil
            default: Picture(name: image.name, change: .replaced)
            }
        }
    }

    /// Every field an admin reviews, in the order of a profile page, each in words.
    private static func describe(_ creator: Creator, catalog: Catalog) -> [(key: String, label: String, value: String?)] {
        func list(_ items: [String]) -> String? { items.isEmpty ? nil : items.joined(separator: "\n") }
        let contact = creator.contact
        return [
            ("name", "Name", creator.name),
            ("categories", "Categories", creator.categories.map { catalog.category($0)?.name ?? $0.rawValue }.joined(separator: ", ")),
            ("city", "City", catalog.city(creator.city)?.name ?? creator.city.rawValue),
            ("area", "Area", creator.area),
            ("since", "Working since", creator.since.map(String.init)),
            ("languages", "Languages", creator.languages.isEmpty ? nil : creator.languages.joined(separator: ", ")),
            ("contact", "Contact (private)", list(["Phone \(contact.phone)"] + [contact.whatsapp.map { "WhatsApp \($0)" }, contact.email.map { "Email \($0.value)" }].compactMap { $0 })),
            ("services", "Services and prices", list(creator.services.map { service in
                "\(service.title): from \(service.priceFrom)" + (service.description.map { " · \($0)" } ?? "")
            })),
            ("portfolio", "Portfolio", list(creator.portfolio.map { item in item.image + (item.caption.map { ": \($0)" } ?? "") })),
            ("tags", "Tags", creator.tags.isEmpty ? nil : creator.tags.map(\.label).joined(separator: ", ")),
            ("story", "Story", creator.story.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : creator.story.trimmingCharacters(in: .whitespacesAndNewlines)),
        ]
    }
}
