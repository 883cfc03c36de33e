package metrics

import "fmt"

// topicActions say what to add to a product page when buyers keep asking
// about one attribute (zh, en; %s is the product).
var topicActions = map[string][2]string{
	"shelf_life":   {"在商品%s详情页补充保质期和生产日期", "Add shelf life and production date to %s's product page"},
	"size":         {"在商品%s详情页补充尺码表和试穿建议", "Add a size chart and fit advice to %s's product page"},
	"material":     {"在商品%s详情页写明材质和面料成分", "State the material and fabric composition on %s's product page"},
	"color":        {"在商品%s详情页补充实物色卡和色差说明", "Add real-colour photos and a colour-difference note to %s's product page"},
	"ingredients":  {"在商品%s详情页列出完整配料表/成分表", "List the full ingredients on %s's product page"},
	"origin":       {"在商品%s详情页写明产地和发货地", "State the origin and ship-from location on %s's product page"},
	"warranty":     {"在商品%s详情页写明保修期限和售后政策", "State the warranty period and after-sales policy on %s's product page"},
	"authenticity": {"在商品%s详情页展示正品授权和防伪查询方式", "Show authorisation certificates and how to verify authenticity on %s's product page"},
	"usage":        {"在商品%s详情页补充使用方法和注意事项", "Add usage instructions and precautions to %s's product page"},
	"allergy":      {"在商品%s详情页标注过敏原和适用人群", "Label allergens and who the product suits on %s's product page"},
	"battery":      {"在商品%s详情页写明续航时间和电池容量", "State battery life and capacity on %s's product page"},
}

// nodeActions say what to change when buyers abandon at a funnel node.
var nodeActions = map[string][2]string{
	"product":  {"在详情页补全规格、库存和常见问题，并把高频问题加入机器人知识库", "Complete specs, stock and FAQ on the product pages and add the frequent questions to the bot's knowledge base"},
	"price":    {"明确标注优惠规则和到手价，考虑限时券或满减", "State discount rules and the final price clearly; consider a time-limited coupon"},
	"shipping": {"在详情页明确运费和发货时效，或提供包邮/运费补贴", "State shipping costs and delivery times, or offer free shipping / a shipping subsidy"},
	"payment":  {"检查支付流程，提供花呗分期等更多支付方式", "Check the checkout flow and offer more payment options such as instalments"},
}

// topicAction is topic_surge's action: answer the topic on the product page.
func topicAction(k SeriesKey) (zh, en string) {
	if a, ok := topicActions[k.Topic]; ok {
		return fmt.Sprintf(a[0], k.Product), fmt.Sprintf(a[1], k.Product)
	}
	return fmt.Sprintf("商品%s关于「%s」的咨询激增：在详情页补充该信息并加入机器人知识库", k.Product, k.Topic),
		fmt.Sprintf("Questions about %s for %s surged: answer it on the product page and in the bot's knowledge base", k.Topic, k.Product)
}

// nodeAction is dropoff_spike's action: fix what buyers abandon at.
func nodeAction(k SeriesKey) (zh, en string) {
	a := nodeActions[k.Node]
	return a[0], a[1]
}
