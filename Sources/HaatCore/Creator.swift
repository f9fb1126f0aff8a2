/// One thing a creator offers, with the lowest price it starts from.
public struct Service: Hashable, Sendable {
    public let title: String
    public let priceFrom: Money
    public let description: String?

    public init(title: String, priceFrom: Money, description: String? = nil) {
        self.title = title
        self.priceFrom = priceFrom
        self.description = description
    }
}

/// A portfolio picture: a file of the creator's bundle and an optional caption.
public struct PortfolioItem: Hashable, Sendable {
    public let image: String
    public let caption: String?

    public init(image: String, caption: String? = nil) {
        self.image = image
        self.caption = caption
    }
}

/// How to reach a creator. Private: never rendered into the site; only the lead API
/// reveals it to a signed-in customer.
public struct ContactDetails: Hashable, Sendable {
    public let phone: Phone
    public let whatsapp: Phone?
    public let email: EmailAddress?

    public init(phone: Phone, whatsapp: Phone? = nil, email: EmailAddress? = nil) {
        self.phone = phone
        self.whatsapp = whatsapp
        self.email = email
    }
}

/// A creator's profile as parsed and validated from its `index.md`.
public struct Creator: Hashable, Sendable {
    public let slug: Slug
    public let name: String
    /// The first category is the primary one (breadcrumbs, JSON-LD).
    public let categories: [Slug]
    public let city: Slug
    public let area: String?
    public let since: Int?
    public let languages: [String]
    /// Private: the email of the creator account that manages this profile.
    public let account: EmailAddress
    public let contact: ContactDetails
    public let services: [Service]
    public let portfolio: [PortfolioItem]
    /// The creator's own tags as parsed; the build merges in the tags discovery extracts.
    public var tags: [Tag]
    /// The Markdown after the front matter.
    public let story: String

    public init(slug: Slug, name: String, categories: [Slug], city: Slug, area: String? = nil,
                since: Int? = nil, languages: [String] = [], account: EmailAddress,
                contact: ContactDetails, services: [Service], portfolio: [PortfolioItem] = [],
                tags: [Tag] = [], story: String = "") {
        self.slug = slug
        self.name = name
        self.categories = categories
        self.city = city
        self.area = area
        self.since = since
        self.languages = languages
        self.account = account
        self.contact = contact
        self.services = services
        self.portfolio = portfolio
        self.tags = tags
        self.story = story
    }

    public var primaryCategory: Slug { categories[0] }
    public var lowestPrice: Money? { services.map(\.priceFrom).min() }
}
