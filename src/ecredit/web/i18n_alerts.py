"""Messages of the alert pages — the queue, an alert's page, its evidence and chart: 中文, English
(merged into `i18n.MESSAGES`)."""

from __future__ import annotations

ALERT_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.alerts": ("监测预警", "Alerts"),
    "alerts.heading": ("大数据监测预警", "Detection alerts"),
    "alerts.lead": (
        "监测模型发现的疑似失信行为，附证据；确认后生成信用记录，排除须说明理由。",
        "Suspected dishonest conduct found by the detectors, with evidence; confirming one "
        "records a credit fact, dismissing one needs a reason.",
    ),
    "alerts.read_only": (
        "此处仅列出涉及本平台店铺的预警，供核查整改；确认或排除由信用办和监管部门作出。",
        "Only the alerts about your platform's shops are listed, for checking and correcting; "
        "the credit office and the regulators confirm or dismiss them.",
    ),
    "alerts.moved": ("预警 #{id} 现为「{status}」。", "Alert #{id} is now {status}."),
    "alerts.conflict": ("操作未执行：", "Not done:"),
    "alerts.all": ("全部", "All"),
    "alerts.none": ("暂无预警。", "No alerts."),
    "alerts.finding": ("发现", "Finding"),
    "alerts.subject": ("平台 / 店铺 / 主体", "Platform / shop / subject"),
    "alerts.evidence": ("证据", "Evidence"),
    "alerts.state": ("状态", "Status"),
    "alerts.actions": ("处理", "Decide"),
    "alerts.detector": ("模型", "detector"),
    "alerts.score": ("评分", "score"),
    "alerts.shop": ("店铺编号", "Shop code"),
    "alerts.no_subject": ("未匹配到登记主体：", "No registered subject:"),
    "alerts.show_evidence": ("证据摘要", "Evidence in brief"),
    "alerts.open_evidence": ("查看证据详情", "See the evidence"),
    "alerts.record": ("已生成信用记录 #{id}", "Credit record #{id}"),
    "alerts.decision_no": ("决定文号（可选）", "Decision no. (optional)"),
    "alerts.note": ("核查说明（可选）", "Note (optional)"),
    "alerts.subject_id": ("主体编号（必填）", "Subject id (required)"),
    "alerts.confirm": ("确认并记录", "Confirm and record"),
    "alerts.reason": ("排除理由（必填）", "Reason (required)"),
    "alerts.dismiss": ("排除", "Dismiss"),
    "astatus.open": ("待处理", "Open"),
    "astatus.confirmed": ("已确认", "Confirmed"),
    "astatus.dismissed": ("已排除", "Dismissed"),
    # an alert's page
    "alerts.detail_title": ("预警 #{id}", "Alert #{id}"),
    "alerts.platform": ("平台", "Platform"),
    "alerts.matched": ("对应主体", "Subject"),
    "alerts.window": ("时间范围", "Window"),
    "alerts.beijing": ("北京时间", "Beijing time"),
    "alerts.raised": ("预警时间", "Raised"),
    "alerts.decision": ("处理决定", "Decision"),
    "alerts.decided_by": ("处理人", "Decided by"),
    "alerts.record_label": ("信用记录", "Credit record"),
    "alerts.match.matched": ("已匹配登记主体", "A registered subject"),
    "alerts.match.unknown_shop": (
        "店铺编号 {code} 未在该平台登记，尚无对应主体；确认时须指明主体。",
        "Shop code {code} is not registered on this platform: no subject yet; confirming "
        "needs one named.",
    ),
    "alerts.match.no_shop": (
        "该发现涉及买家账号而非店铺，无对应主体；确认时须指明主体。",
        "The finding names buyer accounts, not a shop: no subject; confirming needs one named.",
    ),
    "alerts.awaiting": ("待信用办或监管部门核查处理。", "Awaiting the regulator's decision."),
    "alerts.chart.time": ("下单时间（北京时间）", "Order time (Beijing)"),
    "alerts.chart.buyer": ("买家", "Buyer"),
    "alerts.chart.order": ("订单", "Order"),
    "alerts.chart.other_buyers": ("其他买家", "Other buyers"),
    "alerts.chart.inside": ("刷单窗口内", "inside a brushing window"),
    "alerts.chart.nearby": ("窗口外（前后一小时内）", "outside, within an hour"),
    "alerts.ring_chart.time": ("评价时间（北京时间）", "Review time (Beijing)"),
    "alerts.ring_chart.review": ("评价", "Review"),
    "alerts.ring_chart.stars": ("{n} 星", "{n} stars"),
    "alerts.ring_chart.other_members": ("其他成员", "Other members"),
    "alerts.ring_chart.no": ("否", "no"),
    # evidence, common words
    "ev.start": ("开始", "Start"),
    "ev.end": ("结束", "End"),
    "ev.time": ("时间", "Time"),
    "ev.order": ("订单", "Order"),
    "ev.orders": ("订单数", "Orders"),
    "ev.buyer": ("买家", "Buyer"),
    "ev.buyers": ("买家数", "Buyers"),
    "ev.visits": ("访问", "Visits"),
    "ev.clicks": ("点击", "Clicks"),
    "ev.reviewer": ("评价账号", "Reviewer"),
    "ev.score": ("评分", "Score"),
    "ev.share": ("占比", "Share"),
    "ev.yes": ("是", "yes"),
    "ev.first_of": ("仅列出前 {shown} 条，共 {total} 条。", "The first {shown} of {total}."),
    "ev.alert_link": ("预警 #{id}", "alert #{id}"),
    "ev.parameters": ("模型参数", "Detector parameters"),
    "ev.det.brushing": ("刷单", "Order brushing"),
    "ev.det.account_ring": ("刷单账号团伙", "Brushing account ring"),
    "ev.det.review_ring": ("恶意评价团伙", "Review ring"),
    "ev.det.fake_traffic": ("虚假流量", "Fake traffic"),
    "ev.det.empty_parcel": ("空包裹", "Empty parcels"),
    "ev.det.price_fraud": ("价格欺诈", "Price fraud"),
    # brushing
    "ev.brushing.heading": ("刷单窗口中的订单与买家", "Orders and buyers of the brushing windows"),
    "ev.brushing.lead": (
        "规则：任一 1 小时窗口内 订单数 ÷ 买家数 ≥ 3 即为刷单。本店 {windows} 个刷单窗口共 "
        "{orders} 笔订单，来自 {buyers} 个买家。",
        "Rule: a shop brushes in any 1-hour window where orders ÷ buyers ≥ 3. This shop's "
        "{windows} brushing windows hold {orders} orders from {buyers} buyers.",
    ),
    "ev.brushing.chart": (
        "刷单窗口内外的订单，按买家分行",
        "Orders inside and around the brushing windows, one row per buyer",
    ),
    "ev.brushing.caption": (
        "每个点是一笔订单（北京时间），每行一个买家，★ 为可疑买家；阴影为刷单窗口；实心点在窗口内，"
        "空心点为窗口前后一小时内本店的其他订单。",
        "Each mark is an order (Beijing time), each row a buyer, ★ a suspicious buyer; shading "
        "marks the brushing windows; filled marks lie inside them, hollow ones are the shop's "
        "other orders within an hour of them.",
    ),
    "ev.brushing.nearby_capped": (
        "窗口外订单共 {total} 笔，图中仅画出距窗口最近的 {shown} 笔。",
        "Of the {total} orders outside the windows, the {shown} nearest are drawn.",
    ),
    "ev.brushing.no_rows": (
        "本预警生成时的证据未包含每笔订单的时间和买家，无法作图；窗口和可疑买家见下表。",
        "This alert's evidence predates per-order times and buyers, so there is no chart; the "
        "windows and suspicious buyers are below.",
    ),
    "ev.brushing.suspicious": ("可疑买家", "Suspicious buyers"),
    "ev.brushing.orders_in_windows": ("窗口内订单", "Orders in windows"),
    "ev.brushing.windows": ("刷单窗口", "Brushing windows"),
    "ev.brushing.ratio": ("订单/买家", "Orders ÷ buyers"),
    "ev.brushing.order_list": ("窗口内的 {n} 笔订单", "The {n} orders inside the windows"),
    # review rings
    "ev.ring.heading": ("恶意评价团伙", "Review ring"),
    "ev.ring.id": ("团伙编号", "Ring"),
    "ev.ring.size": ("成员", "Members"),
    "ev.ring.size_value": (
        "{reviewers} 个评价账号，{shops} 家店铺",
        "{reviewers} reviewer accounts, {shops} shops",
    ),
    "ev.ring.density": ("子图密度", "Block density"),
    "ev.ring.block_score": ("子图得分", "block score"),
    "ev.ring.lift": ("超出随机期望", "lift over chance"),
    "ev.ring.here": ("本店", "This shop"),
    "ev.ring.here_value": (
        "团伙评价 {ring} 条 / 全部评价 {all} 条（{share}）",
        "{ring} ring reviews of {all} reviews ({share})",
    ),
    "ev.ring.chart": (
        "团伙账号在本店的评价，按时间、按账号分行",
        "The ring accounts' reviews of this shop over time, one row per account",
    ),
    "ev.ring.caption": (
        "每个点是一条评价（北京时间），每行一个团伙账号（按账号得分排列），颜色表示星级，菱形表示文本雷同；"
        "阴影为集中发布的时段（集中发布 ≥ 50% 的评价）。",
        "Each mark is a review (Beijing time), each row a ring account (by account score); the "
        "colour gives its stars, a diamond a near-duplicate text; shading marks the burst (the "
        "reviews whose burst share is 50 % or more).",
    ),
    "ev.ring.reviewers": ("团伙账号及得分", "Ring accounts and their scores"),
    "ev.ring.member_score": ("账号得分", "Account score"),
    "ev.ring.reviews_here": ("在本店的评价", "Reviews here"),
    "ev.ring.shops": ("团伙评价的店铺", "Shops the ring reviews"),
    "ev.ring.this_shop": ("本预警", "this alert"),
    "ev.ring.no_alert": ("无预警", "no alert"),
    "ev.ring.reviews": ("团伙在本店的评价（{n} 条）", "The ring's reviews of this shop ({n})"),
    "ev.ring.rating": ("星级", "Rating"),
    "ev.ring.near_duplicate": ("文本雷同", "Near-duplicate text"),
    "ev.ring.burst": ("集中发布", "Burst"),
    "ev.ring.deviation": ("评分偏离", "Rating deviation"),
    "ev.ring.signals_note": (
        "文本雷同：团伙内其他账号写过近似文本；集中发布：本店团伙评价中与其相隔不足 36 小时的占比；"
        "评分偏离：与本店其他评价平均分之差 ÷ 4。后两项 ≥ 50% 标红。",
        "Near-duplicate: another ring account wrote a near-identical text; burst: the share of "
        "the ring's reviews of this shop within 36 hours of it; rating deviation: distance from "
        "the shop's other reviews' mean rating, over 4. Those two are red from 50 %.",
    ),
    # account rings
    "ev.accounts.heading": ("刷单账号团伙", "Brushing account ring"),
    "ev.accounts.lead": (
        "{buyers} 个在刷单窗口内下单的买家账号共用支付账号、设备或地址，涉及 {shops} 家刷单店铺。",
        "{buyers} buyer accounts that ordered inside brushing windows share a payment account, "
        "a device or an address, across {shops} brushing shops.",
    ),
    "ev.accounts.shared": ("共用的标识", "What they share"),
    "ev.accounts.attribute": ("类型", "Kind"),
    "ev.accounts.value": ("值", "Value"),
    "ev.accounts.holders": ("共用账号", "Accounts"),
    "ev.accounts.members": ("团伙账号", "Ring accounts"),
    "ev.accounts.brushing_shops": ("参与刷单的店铺", "Brushing shops"),
    "ev.accounts.shops": ("涉及店铺及其刷单预警", "Shops and their brushing alerts"),
    "ev.attr.payment_account": ("支付账号", "Payment account"),
    "ev.attr.device_id": ("设备", "Device"),
    "ev.attr.address_hash": ("收货地址（哈希）", "Address (hashed)"),
    # fake traffic
    "ev.traffic.heading": ("异常流量时段", "Hours of abnormal traffic"),
    "ev.traffic.kind": ("类型", "Kind"),
    "ev.tkind.bot": (
        "机器流量：访问或点击激增而几乎无成交",
        "Bot traffic: a burst of visits or clicks with next to no orders",
    ),
    "ev.tkind.brushing": (
        "刷单流量：订单激增且转化率极高、来自少数账号",
        "Brushing traffic: a burst of orders at near-total conversion from few accounts",
    ),
    "ev.traffic.totals": ("合计", "Totals"),
    "ev.traffic.totals_value": (
        "{hours} 小时：访问 {visits}，点击 {clicks}，订单 {orders}",
        "{hours} hours: {visits} visits, {clicks} clicks, {orders} orders",
    ),
    "ev.traffic.population": ("平台店铺转化率中位数", "Platform's median shop conversion"),
    "ev.traffic.baseline": (
        "本店基线（{hours} 小时历史）",
        "The shop's own baseline ({hours} hours of history)",
    ),
    "ev.traffic.median": ("中位数", "Median"),
    "ev.traffic.mad": ("绝对中位差", "MAD"),
    "ev.traffic.hourly": ("逐小时", "Hour by hour"),
    "ev.traffic.hour": ("小时", "Hour"),
    "ev.traffic.conversion": ("转化率", "Conversion"),
    # empty parcels
    "ev.parcel.heading": ("疑似空包裹", "Suspected empty parcels"),
    "ev.parcel.day": ("揽收日", "Pick-up day"),
    "ev.parcel.suspects": ("可疑包裹", "Suspect parcels"),
    "ev.parcel.suspects_value": (
        "当日 {all} 件中 {suspect} 件（{share}）",
        "{suspect} of the day's {all} ({share})",
    ),
    "ev.parcel.signals": ("信号", "Signals"),
    "ev.parcel.waybill": ("运单号 / 快递", "Waybill / carrier"),
    "ev.parcel.transit": ("揽收到签收（小时）", "Pick-up to signature (h)"),
    "ev.parcel.weight": ("申报 / 商品重量（克）", "Declared / item weight (g)"),
    "ev.parcel.scans": ("扫描次数", "Scans"),
    "ev.parcel.also_on": ("同一运单的其他订单", "Other orders on the waybill"),
    "ev.signal.fast_sign": ("签收过快", "Signed too soon"),
    "ev.signal.light": ("重量过轻", "Too light"),
    "ev.signal.bare_route": ("仅揽收和签收", "Only pick-up and signature"),
    "ev.signal.shared_waybill": ("运单多单共用", "Waybill shared by orders"),
    "ev.signal.cross_shop_waybill": ("运单跨店共用", "Waybill shared across shops"),
    # price fraud
    "ev.price.heading": ("促销价格与真实成交价", "Promotion prices against real prices"),
    "ev.violation.fabricated_reference": (
        "虚构原价：划线价高于促销前七日内最低成交价",
        "Fabricated reference: the struck-through price exceeds the lowest real price of the "
        "7 days before",
    ),
    "ev.violation.raise_then_discount": (
        "先提价后打折",
        "Raised, then discounted",
    ),
    "ev.price.product": ("商品", "Product"),
    "ev.price.promotion": ("促销", "promotion"),
    "ev.price.start": ("促销开始", "Promotion start"),
    "ev.price.reference": ("标示原价（划线价）", "Reference (struck-through) price"),
    "ev.price.promotion_price": ("促销价", "Promotion price"),
    "ev.price.base": ("前 {days} 日内最低成交价", "Lowest real price, {days} days before"),
    "ev.basesrc.7_day_lowest": ("七日内最低成交价", "lowest of the 7 days"),
    "ev.basesrc.last_transaction": ("七日内无成交，取最近一次成交价", "none in 7 days: the last"),
    "ev.price.transactions": ("{n} 笔成交", "{n} transactions"),
    "ev.price.before_raise": ("提价前价格", "Price before the raise"),
    "ev.price.peak": ("前 {days} 日内最高标价", "Highest listed price, {days} days before"),
    "ev.price.listed": ("{n} 次标价", "{n} listed prices"),
    "ev.price.rules": ("依据", "Legal basis"),
}
