"""Value lists of the application workflow. Keys are the JSON keys of the annual report (issue 5)."""

from __future__ import annotations

from django.db import models


class ApplicantType(models.TextChoices):
    NATURAL_PERSON = "natural_person", "自然人"
    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER_ORG = "other_org", "其他组织"


#: Column order of table 三 (spec §2.3), ``total`` last.
REPORT_COLUMNS: tuple[str, ...] = (*ApplicantType.values, "total")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO_PERMIT = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "taiwan", "台湾居民来往大陆通行证"
    FOREIGN_PR = "foreign_pr", "外国人永久居留身份证"
    USCC = "uscc", "统一社会信用代码"
    OTHER = "other", "其他有效证件"


PERSON_ID_TYPES = {
    IdType.RESIDENT_ID,
    IdType.PASSPORT,
    IdType.HK_MACAO_PERMIT,
    IdType.TAIWAN_PERMIT,
    IdType.FOREIGN_PR,
    IdType.OTHER,
}
ORG_ID_TYPES = {IdType.USCC, IdType.OTHER}


class Channel(models.TextChoices):
    ONLINE = "online", "网上申请"
    LETTER_REGISTERED = "letter_registered", "信函（挂号信/快递，需签收）"
    LETTER_ORDINARY = "letter_ordinary", "信函（平信，无需签收）"
    IN_PERSON = "in_person", "当面申请"
    SERVICE_WINDOW = "service_window", "政务服务窗口"
    FAX = "fax", "传真"
    EMAIL = "email", "电子邮件"
    OTHER = "other", "其他"


#: The words old ledgers, county systems and the command line use for a channel → its key (the history
#: import and ``gongkai applications register`` share them).
CHANNEL_WORDS = {
    "online": "online", "网上": "online", "网上申请": "online", "网络": "online", "在线": "online",
    "letter": "letter_registered", "信件": "letter_registered", "信函": "letter_registered",
    "信函申请": "letter_registered", "邮寄": "letter_registered", "letter_registered": "letter_registered",
    "letter_ordinary": "letter_ordinary", "平信": "letter_ordinary",
    "in_person": "in_person", "当面": "in_person", "当面申请": "in_person", "当面提交": "in_person",
    "service_window": "service_window", "窗口": "service_window", "政务服务窗口": "service_window",
    "fax": "fax", "传真": "fax", "email": "email", "电子邮件": "email", "邮件": "email", "e-mail": "email",
    "other": "other", "其他": "other",
}  # fmt: skip


#: The annual report's ``by_channel`` key of each channel.
CHANNEL_REPORT_KEY: dict[str, str] = {
    Channel.ONLINE: "online",
    Channel.LETTER_REGISTERED: "letter",
    Channel.LETTER_ORDINARY: "letter",
    Channel.IN_PERSON: "in_person",
    Channel.SERVICE_WINDOW: "service_window",
    Channel.FAX: "fax",
    Channel.EMAIL: "email",
    Channel.OTHER: "other",
}

#: Channels whose receipt date is the day both sides confirm (Art. 31): staff must confirm receipt.
CONFIRMED_CHANNELS = {Channel.ONLINE, Channel.FAX, Channel.EMAIL}

#: What the receipt date means for each channel (Art. 31), shown on forms and in the clock explanation.
RECEIPT_RULE: dict[str, str] = {
    Channel.ONLINE: "网上申请以双方确认之日为收到申请之日（第三十一条第三项）",
    Channel.FAX: "传真申请以双方确认之日为收到申请之日（第三十一条第三项）",
    Channel.EMAIL: "电子邮件申请以双方确认之日为收到申请之日（第三十一条第三项）",
    Channel.LETTER_REGISTERED: "邮寄需签收的，以行政机关签收之日为收到申请之日（第三十一条第二项）",
    Channel.LETTER_ORDINARY: "平常信函无需签收的，以与申请人确认之日为收到申请之日（第三十一条第二项）",
    Channel.IN_PERSON: "当面提交的，以提交之日为收到申请之日（第三十一条第一项）",
    Channel.SERVICE_WINDOW: "在窗口当面提交的，以提交之日为收到申请之日（第三十一条第一项）",
    Channel.OTHER: "以实际收到申请之日为收到申请之日",
}


class InfoForm(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"
    INSPECTION = "inspection", "查阅/抄录"


class Delivery(models.TextChoices):
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    PICKUP = "pickup", "自行领取"


class Status(models.TextChoices):
    PENDING = "pending", "待确认收到"
    IN_PROGRESS = "in_progress", "办理中"
    AWAITING_CORRECTION = "awaiting_correction", "待补正"
    IN_CONSULTATION = "in_consultation", "征求意见中"
    AWAITING_FEE = "awaiting_fee", "待缴费"
    REPLIED = "replied", "已答复"
    TRANSFERRED = "transferred", "已转送其他机关"


CLOSED_STATUSES = {Status.REPLIED, Status.TRANSFERRED}
#: Results whose information "属于可以公开的" (Art. 44): the national table's 予以公开 and 部分公开.
DISCLOSABLE_RESULTS = frozenset({"granted", "partly_granted"})
OPEN_STATUSES = set(Status.values) - CLOSED_STATUSES


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", "提交申请"
    RECEIVED = "received", "收到申请"
    CORRECTION_REQUESTED = "correction_requested", "发出补正通知"
    CORRECTION_RECEIVED = "correction_received", "收到补正材料"
    CONSULTATION_STARTED = "consultation_started", "开始征求意见"
    CONSULTATION_DELIVERED = "consultation_delivered", "征求意见书送达"
    CONSULTATION_ENDED = "consultation_ended", "征求意见结束"
    EXTENSION = "extension", "延长答复期限"
    #: 《条例》第三十五条: a request far beyond a reasonable quantity or frequency, found reasonable but not
    #: answerable within Art. 33 — the agency sets a reasonable later answer date and tells the applicant.
    REASONABLE_PERIOD = "reasonable_period", "确定延迟答复的合理期限"
    FEE_NOTICE = "fee_notice", "发出收费通知"
    FEE_PAID = "fee_paid", "申请人缴费"
    REPLIED = "replied", "作出答复"
    TRANSFERRED = "transferred", "转送其他机关"


class ConsultationParty(models.TextChoices):
    THIRD_PARTY = "third_party", "第三方（第三十二条）"
    OTHER_AGENCY = "other_agency", "其他机关（第三十四条）"


class FeeBasis(models.TextChoices):
    PER_ITEM = "per_item", "按件计收"
    PER_PAGE = "per_page", "按量计收"


class AppealKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", "行政复议"
    LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER = "litigation_after_reconsideration", "行政诉讼（复议后起诉）"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"
    PENDING = "pending", "尚未审结"


class LetterKind(models.TextChoices):
    GRANT = "grant", "予以公开告知书"
    PARTIAL = "partial", "部分公开告知书"
    WITHHOLD = "withhold", "不予公开告知书"
    UNABLE = "unable", "无法提供告知书"
    NOT_PROCESSED = "not_processed", "不予处理告知书"
    OTHER = "other", "终止处理告知书"
    CORRECTION = "correction", "补正申请通知书"
    EXTENSION = "extension", "延长答复期限通知书"
    CONSULTATION = "consultation", "征求第三方意见函"
    FEE = "fee", "信息处理费缴费通知书"
    #: The information itself as disclosed to the applicant (a copy, or the redacted copy of a 部分公开 reply,
    #: Art. 37): uploaded by the office, downloaded by the applicant from the tracking page with the code.
    DISCLOSED = "disclosed", "提供的政府信息（附件）"


#: Kinds the platform writes itself (a template each); ``DISCLOSED`` is only ever uploaded.
GENERATED_LETTERS = [(value, label) for value, label in LetterKind.choices if value != LetterKind.DISCLOSED]

#: Letters that answer the application and so carry the appeal wording.
DECISION_LETTERS = {
    LetterKind.GRANT,
    LetterKind.PARTIAL,
    LetterKind.WITHHOLD,
    LetterKind.UNABLE,
    LetterKind.NOT_PROCESSED,
    LetterKind.OTHER,
}
