import Localized
import Testing

@Test func textIsChosenByLanguage() {
    let text = LocalizedText(vi: "Xin chào", en: "Hello")
    #expect(text.text(in: .vi) == "Xin chào")
    #expect(text.text(in: .en) == "Hello")
    #expect(text.description == "Xin chào / Hello")
}

@Test func identicalTextsPrintOnce() {
    #expect(LocalizedText(vi: "OK", en: "OK").description == "OK")
}
