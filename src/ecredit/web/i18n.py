"""The portal's message catalogue: zh-CN first, English second, one place for every UI string.

A dict keyed by message id rather than Babel .po files: the portal has a few hundred strings,
and keeping both languages side by side makes a missing translation visible in review. An id
nobody translated renders as the id itself, which a test can catch, instead of failing a page.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request

from ecredit.web.i18n_alerts import ALERT_MESSAGES
from ecredit.web.i18n_complaints import COMPLAINT_MESSAGES
from ecredit.web.i18n_credit import CREDIT_MESSAGES
from ecredit.web.i18n_detection import DETECTION_MESSAGES
from ecredit.web.i18n_lists import LIST_MESSAGES
from ecredit.web.i18n_shipment import SHIPMENT_MESSAGES
from ecredit.web.i18n_trace import TRACE_MESSAGES
from ecredit.web.i18n_warnings import WARNING_MESSAGES

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
COOKIE = "lang"

# message id → (中文, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "site.title": ("电子商务信用监管平台", "E-commerce Credit Supervision Platform"),
    "site.short": ("电商信用", "eCredit"),
    "site.footer": (
        "本平台公示信息依法采集，个人信息已按规定脱敏展示。",
        "Published under the law; personal information is shown masked.",
    ),
    "nav.query": ("信用查询", "Credit query"),
    "nav.verify_site": ("网站真伪核验", "Check a website"),
    "nav.staff": ("工作人员入口", "Staff"),
    "nav.dashboard": ("工作台", "Dashboard"),
    "nav.register": ("主体登记", "Register"),
    "nav.verifications": ("实名认证审核", "Verifications"),
    "nav.logout": ("退出登录", "Log out"),
    "nav.label": ("主导航", "Main navigation"),
    "nav.account": ("账户", "Account"),
    "nav.language": ("语言", "Language"),
    "nav.staff_section": ("工作人员功能", "Staff pages"),
    "nav.group.registry": ("登记与核验", "Registry"),
    "nav.group.credit": ("信用管理", "Credit"),
    "nav.group.supervision": ("监管监测", "Supervision"),
    "nav.group.complaints": ("投诉举报", "Complaints"),
    "search.heading": ("信用信息查询", "Credit information query"),
    "search.lead": (
        "查询电商平台、商户、物流企业等主体的实名认证与公示信息。",
        "Look up platforms, merchants, carriers and others: real-name status and public facts.",
    ),
    "search.placeholder": (
        "输入企业名称、统一社会信用代码或拼音首字母",
        "Enter a name, unified social credit code or pinyin initials",
    ),
    "search.button": ("查询", "Search"),
    "search.results": ("查询结果", "Results"),
    "search.count": ("共找到 {n} 个主体", "{n} subjects found"),
    "search.none": (
        "没有找到匹配的主体，请换个关键词试试。",
        "No subject matches; try other words.",
    ),
    "search.too_long": (
        "查询内容不能超过 100 个字符。",
        "The query may be at most 100 characters.",
    ),
    "search.short": ("请至少输入 2 个字符。", "Type at least 2 characters."),
    "search.score": ("匹配度", "Score"),
    "match.code": ("代码精确匹配", "exact code"),
    "match.name": ("名称匹配", "name"),
    "match.pinyin": ("全拼匹配", "pinyin"),
    "match.initials": ("拼音首字母", "pinyin initials"),
    "match.fuzzy": ("近似名称", "similar name"),
    "field.name": ("名称", "Name"),
    "field.kind": ("主体类型", "Kind"),
    "field.merchant_form": ("商户形态", "Merchant form"),
    "field.uscc": ("统一社会信用代码", "Unified social credit code"),
    "field.id_number": ("身份证号码", "ID number"),
    "field.phone": ("手机号码", "Mobile phone"),
    "field.legal_representative": ("法定代表人/经营者", "Legal representative"),
    "field.region_code": ("行政区划代码", "Region code"),
    "field.address": ("地址", "Address"),
    "field.employer_id": ("所属单位编号", "Employer (subject id)"),
    "field.created_at": ("登记时间", "Registered"),
    "field.method": ("认证方式", "Method"),
    "field.evidence_ref": ("材料编号", "Evidence reference"),
    "field.reason": ("理由", "Reason"),
    "field.status": ("认证状态", "Status"),
    "field.username": ("用户名", "Username"),
    "field.password": ("密码", "Password"),
    "field.domain": ("网站域名", "Website domain"),
    "field.none": ("—", "—"),
    "punct.colon": ("：", ": "),
    "kind.platform": ("电商平台", "Platform"),
    "kind.merchant": ("平台内经营者", "Merchant"),
    "kind.logistics": ("物流企业", "Logistics firm"),
    "kind.agency": ("服务机构", "Agency"),
    "kind.manufacturer": ("生产企业", "Manufacturer"),
    "kind.practitioner": ("从业人员", "Practitioner"),
    "form.enterprise": ("企业", "Enterprise"),
    "form.individual_business": ("个体工商户", "Individual business"),
    "form.natural_person": ("自然人", "Natural person"),
    "status.unverified": ("未认证", "Not verified"),
    "status.pending": ("待审核", "Pending"),
    "status.verified": ("已实名认证", "Verified"),
    "status.rejected": ("认证未通过", "Rejected"),
    "status.revoked": ("认证已撤销", "Revoked"),
    "method.licence_check": ("营业执照核验", "Business licence check"),
    "method.identity_check": ("身份核验", "Identity check"),
    "method.bank_check": ("银行卡核验", "Bank card check"),
    "method.phone_check": ("手机号核验", "Phone check"),
    "mark.verified_by": ("认证机构", "Verified by"),
    "mark.verified_at": ("认证时间", "Verified on"),
    "mark.unverified_note": (
        "该主体尚未通过实名认证，交易时请注意核实。",
        "This subject has not passed real-name verification; take care.",
    ),
    "subject.public_heading": ("主体公示信息", "Public information"),
    "subject.shops": ("网店", "Shops"),
    "subject.no_shops": ("暂无登记的网店。", "No shop registered."),
    "subject.platform": ("平台", "Platform"),
    "subject.shop_code": ("店铺编号", "Shop id"),
    "subject.domains": ("已核验网站", "Verified websites"),
    "subject.no_domains": ("暂无已核验网站。", "No verified website."),
    "subject.masked_note": (
        "依据个人信息保护要求，个人身份信息已脱敏显示。",
        "Personal data is masked to protect personal information.",
    ),
    "site.heading": ("网站真伪核验", "Is this website genuine?"),
    "site.lead": (
        "输入网址或域名，核验是否为已认证主体的官方网站，并识别仿冒网站。",
        "Enter an address to see whether it is a verified subject's site or imitates one.",
    ),
    "site.placeholder": ("例如 shop.example.cn", "e.g. shop.example.cn"),
    "site.button": ("核验", "Check"),
    "site.verified": ("已核验网站：{domain}", "Verified website: {domain}"),
    "site.owner": ("网站主体", "Owner"),
    "site.lookalike": (
        "警告：{domain} 与已核验网站相似，可能是仿冒网站！",
        "Warning: {domain} resembles a verified website and may be a fake!",
    ),
    "site.resembles": ("相似的已核验网站", "Resembles"),
    "site.unknown": (
        "{domain} 不是已核验网站，也未发现仿冒对象，请谨慎交易。",
        "{domain} is not a verified website and imitates none we know; be careful.",
    ),
    "site.rule": ("相似类型", "Kind of resemblance"),
    "rule.homoglyph": ("形近字符", "look-alike characters"),
    "rule.edit_distance": ("拼写相近", "similar spelling"),
    "login.heading": ("工作人员登录", "Staff login"),
    "login.button": ("登录", "Log in"),
    "login.failed": ("用户名或密码错误。", "Wrong username or password."),
    "login.required": ("请先登录。", "Please log in first."),
    "dashboard.heading": ("工作台", "Dashboard"),
    "dashboard.welcome": ("欢迎，{name}（{org}）", "Welcome, {name} ({org})"),
    "dashboard.counts": ("主体实名认证情况", "Subjects by verification status"),
    "dashboard.total": ("合计", "Total"),
    "register.heading": ("登记主体", "Register a subject"),
    "register.button": ("提交登记", "Register"),
    "register.choose": ("— 请选择 —", "— choose —"),
    "register.hint_code": (
        "企业、个体工商户填写统一社会信用代码；自然人、从业人员填写身份证号码。",
        "Businesses give their USCC; natural persons and practitioners their ID number.",
    ),
    "register.error": ("登记未成功，请检查标出的字段。", "Not registered; check the marked field."),
    "verif.heading": ("待审核的实名认证", "Pending real-name verifications"),
    "verif.none": ("当前没有待审核的申请。", "Nothing is waiting for a decision."),
    "verif.approve": ("通过", "Approve"),
    "verif.reject": ("驳回", "Reject"),
    "verif.reason_placeholder": ("驳回理由（必填）", "Reason for rejecting (required)"),
    "verif.decided": ("已处理：主体 #{id} → {status}", "Decided: subject #{id} → {status}"),
    "staff.subject_heading": ("主体详情（内部）", "Subject (internal view)"),
    "staff.submit_heading": ("提交实名认证", "Submit for verification"),
    "staff.submit_button": ("提交认证申请", "Submit"),
    "staff.submitted": ("已提交认证申请。", "Submitted for verification."),
    "staff.registered": ("登记成功。", "Registered."),
    "staff.public_page": ("查看公示页", "Public page"),
    "staff.events": ("认证记录", "Verification events"),
    "staff.history": ("变更历史", "Change history"),
    "staff.timeline": ("业务时间线", "Timeline"),
    "staff.no_history_scope": (
        "查看变更历史需要审计权限。",
        "Viewing the change history needs the audit scope.",
    ),
    "history.at": ("时间", "Time"),
    "history.actor": ("操作人", "Actor"),
    "history.action": ("操作", "Action"),
    "history.field": ("字段", "Field"),
    "history.before": ("变更前", "Before"),
    "history.after": ("变更后", "After"),
    "history.summary": ("事项", "Summary"),
    "history.transition": ("状态变化", "Change"),
    "action.create": ("新增", "created"),
    "action.update": ("修改", "updated"),
    "action.delete": ("删除", "deleted"),
    "error.404.title": ("页面不存在", "Not found"),
    "error.404.text": ("您访问的主体或页面不存在。", "The subject or page does not exist."),
    "error.403.title": ("无权访问", "Forbidden"),
    "error.403.text": ("您没有执行此操作的权限。", "You are not allowed to do this."),
    "error.other.title": ("请求无法处理", "Request not processed"),
    "error.other.text": ("请检查输入后重试。", "Check the input and try again."),
    "error.csrf": (
        "表单已过期或来源不可信，请刷新页面后重试。",
        "The form expired or did not come from this site; reload and try again.",
    ),
    "error.413.title": ("提交内容过大", "Request too large"),
    "error.413.text": ("提交的内容超过了大小上限。", "The request is larger than allowed."),
    "error.too_large": (
        "提交的内容超过了本页面 {limit} 的大小上限，请精简后重试。",
        "request body: larger than the {limit} limit for this page; shorten it and try again.",
    ),
    "error.back": ("返回首页", "Back to the home page"),
    **CREDIT_MESSAGES,
    **LIST_MESSAGES,
    **TRACE_MESSAGES,
    **ALERT_MESSAGES,
    **COMPLAINT_MESSAGES,
    **SHIPMENT_MESSAGES,
    **WARNING_MESSAGES,
    **DETECTION_MESSAGES,
}


def gettext(lang: str, message_id: str, **values: object) -> str:
    """The message in `lang`, with `{name}` placeholders filled from `values`."""
    pair = MESSAGES.get(message_id)
    text = message_id if pair is None else pair[LANGUAGES.index(lang)]
    return text.format(**values) if values else text


def resolve_language(request: Request) -> str:
    """`?lang=` wins (and is remembered by a cookie), then the cookie, then Chinese."""
    for candidate in (request.query_params.get(COOKIE), request.cookies.get(COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT


def translator(lang: str) -> Callable[..., str]:
    def translate(message_id: str, **values: object) -> str:
        return gettext(lang, message_id, **values)

    return translate
