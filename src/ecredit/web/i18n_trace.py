"""Messages of the public product trace page (来源可查、去向可追、责任可究)."""

from __future__ import annotations

TRACE_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.trace": ("产品追溯", "Product trace"),
    "trace.heading": ("产品追溯查询", "Product trace"),
    "trace.lead": (
        "输入商品条码和包装上的批号，查看这一批产品来自哪里、经过哪些环节、每一步由谁负责。",
        "Enter the barcode and the batch code printed on the package: where the batch came from, "
        "each step it went through and who answered for it.",
    ),
    "trace.gtin": ("商品条码（GTIN）", "Barcode (GTIN)"),
    "trace.gtin_placeholder": ("8、12、13 或 14 位数字", "8, 12, 13 or 14 digits"),
    "trace.batch": ("批号", "Batch code"),
    "trace.batch_placeholder": ("包装上印的生产批号", "The batch code printed on the package"),
    "trace.button": ("查询", "Trace"),
    "trace.gtin_required": ("请输入商品条码。", "Enter the barcode."),
    "trace.gtin_invalid": ("商品条码不正确。", "This barcode is not valid."),
    "trace.batch_required": ("请输入批号。", "Enter the batch code."),
    "trace.batch_too_long": (
        "批号不能超过 40 个字符。",
        "The batch code may be at most 40 characters.",
    ),
    "trace.not_found": (
        "没有找到这一商品批次，请核对条码和批号。",
        "No such product batch; check the barcode and the batch code.",
    ),
    "trace.recalled": (
        "该批次产品已被召回，请停止使用并联系商家或生产企业。",
        "This batch has been recalled: stop using it and contact the seller or the maker.",
    ),
    "trace.category": ("品类", "Category"),
    "trace.origin": ("生产企业", "Manufacturer"),
    "trace.produced_on": ("生产日期", "Produced on"),
    "trace.expires_on": ("保质期至", "Best before"),
    "trace.steps": ("流转环节", "Steps"),
    "trace.no_steps": ("尚无流转记录。", "No steps recorded yet."),
    "trace.time": ("时间", "Time"),
    "trace.step": ("环节", "Step"),
    "trace.responsible": ("责任方", "Responsible"),
    "trace.shop": ("店铺", "Shop"),
    "pcat.food": ("食品", "Food"),
    "pcat.drug": ("药品", "Drug"),
    "pcat.other": ("其他", "Other"),
    "bizstep.listed": ("上架", "Listed"),
    "bizstep.sold": ("售出", "Sold"),
    "bizstep.shipped": ("发货", "Shipped"),
    "bizstep.delivered": ("派送", "Delivered"),
    "bizstep.signed": ("签收", "Signed"),
    "bizstep.reviewed": ("评价", "Reviewed"),
    "bizstep.complained": ("投诉", "Complained"),
    "bizstep.recalled": ("召回", "Recalled"),
    "prole.manufacturer": ("生产企业", "Manufacturer"),
    "prole.merchant": ("商户", "Merchant"),
    "prole.carrier": ("物流企业", "Carrier"),
    "prole.platform": ("平台", "Platform"),
}
