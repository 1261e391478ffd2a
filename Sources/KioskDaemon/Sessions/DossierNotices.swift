import Localized

/// What the applicant is told when the size limits shape what was scanned.
enum DossierNotices {
    static func compressedToFit(_ limits: KioskConfig.Documents) -> Notice {
        Notice(
            code: "dossier.compressed_to_fit",
            message: LocalizedText(
                vi:
                    "Các trang vừa quét đã được nén nhỏ hơn để hồ sơ không vượt quá \(limits.maxDossierMB) MB. Vui lòng xem lại: nếu trang nào không còn đọc rõ, hãy xoá và quét lại.",
                en:
                    "The pages just scanned were compressed further so that the dossier stays within \(limits.maxDossierMB) MB. Please check them: if a page is no longer legible, delete it and scan it again."
            ),
            actor: .applicant, retryable: false)
    }

    static func dossierFull(_ limits: KioskConfig.Documents) -> Notice {
        Notice(
            code: "dossier.full",
            message: LocalizedText(
                vi:
                    "Hồ sơ đã gần đạt dung lượng tối đa \(limits.maxDossierMB) MB nên chưa thể thêm các trang vừa quét. Vui lòng xoá các trang không cần thiết (trang trắng, trang trùng) rồi quét lại.",
                en:
                    "The dossier is close to its \(limits.maxDossierMB) MB limit, so the pages just scanned could not be added. Please delete pages that are not needed (blank or duplicate pages), then scan again."
            ),
            actor: .applicant, retryable: true)
    }

    static func pageTooLarge(_ limits: KioskConfig.Documents) -> Notice {
        Notice(
            code: "dossier.page_too_large",
            message: LocalizedText(
                vi:
                    "Có trang vẫn lớn hơn \(limits.maxPageBytes / 1000) KB dù đã nén tối đa nên chưa được thêm. Vui lòng quét lại trang đó; nếu vẫn không được, hãy nhờ cán bộ hỗ trợ.",
                en:
                    "A page is still larger than \(limits.maxPageBytes / 1000) KB at the strongest compression, so it was not added. Please scan that page again; if it still fails, ask staff for help."
            ),
            actor: .applicant, retryable: true)
    }
}
