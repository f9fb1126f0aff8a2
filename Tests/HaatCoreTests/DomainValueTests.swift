import Foundation
import Testing
@testable import HaatCore

struct DomainValueTests {
    @Test(arguments: ["ab", "sugar-bloom", "a1-2", String(repeating: "a", count: 64)])
    func validSlugs(_ text: String) {
        #expect(Slug(text) != nil)
    }

    @Test(arguments: ["a", "Sugar", "sugar_bloom", "café", "a b", String(repeating: "a", count: 65), ""])
    func invalidSlugs(_ text: String) {
        #expect(Slug(text) == nil)
    }

    @Test func moneyUsesIndianGrouping() {
        #expect(Money(rupees: 800).formatted == "₹800")
        #expect(Money(rupees: 2500).formatted == "₹2,500")
        #expect(Money(rupees: 150_000).formatted == "₹1,50,000")
        #expect(Money(rupees: 12_345_678).formatted == "₹1,23,45,678")
        #expect(Money(paise: 9905).formatted == "₹99.05")
    }

    @Test func phonesNormaliseToE164() {
        #expect(Phone("+91 98220 12345")?.e164 == "+919822012345")
        #expect(Phone("098220-12345")?.e164 == "+919822012345")
        #expect(Phone("(982) 201-2345")?.e164 == "+919822012345")
        #expect(Phone("+44 20 7946 0958")?.e164 == "+442079460958")
        #expect(Phone("12345") == nil)
        #expect(Phone("+91 98220") == nil)
        #expect(Phone("call 98220 12345") == nil)
    }

    /// Numbers a code can be texted to, in every form people type them.
    @Test(arguments: ["98220 12345", "098220-12345", "+91 98220 12345", "919822012345", "91 98220 12345", " 9822012345 "])
    func mobileNumbersAreTakenAsTyped(_ typed: String) {
        #expect(Phone.mobile(typed)?.e164 == "+919822012345")
    }

    @Test(arguments: ["12345", "+91 12345 67890", "020 2553 1234", "91982201234", "9198220123456", "+91 98220 1234x", "", "+"])
    func whatCannotBeAMobileNumberIsRefused(_ typed: String) {
        #expect(Phone.mobile(typed) == nil)
    }

    @Test func anotherCountrysNumberNeedsItsPlusAndCode() {
        #expect(Phone.mobile("+44 7700 900123")?.e164 == "+447700900123")
        #expect(Phone.mobile("+1 415 555 0100")?.e164 == "+14155550100")
    }

    @Test func tagsNormalise() {
        #expect(Tag("Pre Wedding")?.description == "pre-wedding")
        #expect(Tag("  candid_shots ")?.description == "candid-shots")
        #expect(Tag("x") == nil)
    }

    @Test func didYouMeanFindsCloseWords() {
        #expect(Suggestion.closest(to: "categroy", in: ["category", "city"]) == "category")
        #expect(Suggestion.closest(to: "zzz", in: ["category", "city"]) == nil)
    }

    @Test func imageInfoReadsHeaders() throws {
        let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x02, 0x58, 0x03, 0x20, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xFF, 0xD9])
        #expect(ImageInfo.read(jpeg) == ImageInfo(format: .jpeg, width: 800, height: 600))
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
        png.append(contentsOf: [0, 0, 0x01, 0x90, 0, 0, 0x01, 0x2C, 8, 6, 0, 0, 0])
        #expect(ImageInfo.read(png) == ImageInfo(format: .png, width: 400, height: 300))
        #expect(ImageInfo.read(Data("GIF89a not really".utf8)) == nil)
        #expect(ImageInfo.read(Data([0xFF, 0xD8, 0x00])) == nil)
    }

    @Test func revisionDigestCoversTextAndImages() {
        let text = Data("---\nname: x\n---\n".utf8)
        let one = RevisionDigest.sha256(Data([1, 2])), two = RevisionDigest.sha256(Data([1, 3]))
        let a = RevisionDigest.contentSHA256(index: text, images: [("a.jpg", one)])
        #expect(a == RevisionDigest.contentSHA256(index: text, images: [("a.jpg", one)]))
        #expect(a != RevisionDigest.contentSHA256(index: text, images: [("a.jpg", two)]))
        #expect(a != RevisionDigest.contentSHA256(index: text, images: [("b.jpg", one)]))
        #expect(a != RevisionDigest.contentSHA256(index: Data("---\nname: y\n---\n".utf8), images: [("a.jpg", one)]))
    }
}
