package nlp

import "strings"

// Intents is the default intent taxonomy (shared/spec/events.md).
var Intents = []string{
	"greeting", "product_info", "size_fit", "stock", "price_promo", "shipping_fee",
	"delivery_time", "payment", "order_status", "modify_order", "cancel_order",
	"return_exchange", "refund", "quality_complaint", "invoice", "human_request",
	"thanks_bye", "other",
}

// intentAliases maps labels bot engines commonly emit onto the taxonomy.
// Keys are lower case with '-' and ' ' folded to '_'.
var intentAliases = map[string]string{
	"hello": "greeting", "hi": "greeting", "greet": "greeting", "welcome": "greeting", "问候": "greeting", "打招呼": "greeting",
	"product": "product_info", "product_question": "product_info", "product_detail": "product_info", "product_inquiry": "product_info", "商品咨询": "product_info", "商品信息": "product_info",
	"size": "size_fit", "sizing": "size_fit", "size_chart": "size_fit", "fit": "size_fit", "尺码": "size_fit", "尺码咨询": "size_fit",
	"in_stock": "stock", "availability": "stock", "inventory": "stock", "库存": "stock", "有货吗": "stock",
	"price": "price_promo", "promotion": "price_promo", "promo": "price_promo", "discount": "price_promo", "coupon": "price_promo", "bargain": "price_promo", "优惠": "price_promo", "价格": "price_promo", "优惠券": "price_promo",
	"shipping": "shipping_fee", "shipping_cost": "shipping_fee", "postage": "shipping_fee", "freight": "shipping_fee", "运费": "shipping_fee", "包邮": "shipping_fee",
	"delivery": "delivery_time", "eta": "delivery_time", "when_ship": "delivery_time", "dispatch_time": "delivery_time", "发货时间": "delivery_time", "物流时效": "delivery_time",
	"pay": "payment", "payment_issue": "payment", "payment_method": "payment", "支付": "payment", "付款": "payment",
	"track_order": "order_status", "tracking": "order_status", "where_is_my_order": "order_status", "wismo": "order_status", "logistics": "order_status", "order_tracking": "order_status", "物流查询": "order_status", "订单状态": "order_status", "查物流": "order_status",
	"change_order": "modify_order", "change_address": "modify_order", "modify_address": "modify_order", "update_order": "modify_order", "修改订单": "modify_order", "改地址": "modify_order",
	"cancel": "cancel_order", "order_cancel": "cancel_order", "取消订单": "cancel_order",
	"return": "return_exchange", "exchange": "return_exchange", "returns": "return_exchange", "退换货": "return_exchange", "退货": "return_exchange", "换货": "return_exchange",
	"refund_request": "refund", "money_back": "refund", "退款": "refund",
	"complaint": "quality_complaint", "quality": "quality_complaint", "quality_issue": "quality_complaint", "damaged": "quality_complaint", "投诉": "quality_complaint", "质量问题": "quality_complaint",
	"fapiao": "invoice", "receipt": "invoice", "发票": "invoice", "开发票": "invoice",
	"human": "human_request", "agent": "human_request", "transfer_to_agent": "human_request", "transfer_to_human": "human_request", "handoff": "human_request", "live_agent": "human_request", "转人工": "human_request", "人工客服": "human_request",
	"thanks": "thanks_bye", "thank_you": "thanks_bye", "bye": "thanks_bye", "goodbye": "thanks_bye", "farewell": "thanks_bye", "感谢": "thanks_bye", "再见": "thanks_bye",
	"fallback": "other", "unknown": "other", "none": "other", "chitchat": "other", "其他": "other",
}

func init() {
	for _, in := range Intents {
		intentAliases[in] = in
	}
}

// CanonicalIntent maps an upstream label onto the taxonomy when it is a
// known alias ("Refund-Request" -> "refund") and otherwise returns it
// trimmed, as the upstream label is trusted.
func CanonicalIntent(label string) string {
	label = strings.TrimSpace(label)
	key := strings.Map(func(r rune) rune {
		switch {
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		case r == '-' || r == ' ' || r == '.':
			return '_'
		}
		return r
	}, label)
	if in, ok := intentAliases[key]; ok {
		return in
	}
	return label
}
