import Foundation
import HaatCore

/// Additive to API.md: a profile's text as the fields the dashboard's form edits, so the
/// browser never parses YAML. The form writes the text back; the text stays the truth.
struct ProfileFieldsBody: Encodable {
    struct ServiceField: Encodable {
        let title: String
        let priceFrom: Int
        @OrNull var description: String?
        enum CodingKeys: String, CodingKey { case title, priceFrom = "price_from", description }
    }

    struct PortfolioField: Encodable {
        let image: String
        @OrNull var caption: String?
    }

    struct ContactField: Encodable {
        let phone: String
        @OrNull var whatsapp: String?
        @OrNull var email: String?
    }

    let name: String
    let categories: [String]
    let city: String
    @OrNull var area: String?
    @OrNull var since: Int?
    let languages: [String]
    let account: String
    let contact: ContactField
    let services: [ServiceField]
    let portfolio: [PortfolioField]
    let tags: [String]
    let story: String

    init(_ creator: Creator) {
        name = creator.name
        categories = creator.categories.map(\.rawValue)
        city = creator.city.rawValue
        area = creator.area
        since = creator.since
        languages = creator.languages
        account = creator.account.value
        contact = ContactField(phone: creator.contact.phone.e164, whatsapp: creator.contact.whatsapp?.e164, email: creator.contact.email?.value)
        services = creator.services.map { ServiceField(title: $0.title, priceFrom: $0.priceFrom.rupees, description: $0.description) }
        portfolio = creator.portfolio.map { PortfolioField(image: $0.image, caption: $0.caption) }
        tags = creator.tags.map(\.slug.rawValue)
        story = creator.story
    }
}
