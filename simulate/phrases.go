package simulate

// Phrasing of buyers, the bot and agents. Placeholders: {p} product name,
// {o} order id, {s} shop name, {a} agent name, {h} height in cm, {w}
// weight in 斤 (kg in English). Buyer phrasings of a topic always contain a
// dictionary word for it (保质期, 尺码, 材质, 续航, shelf life, size, …).

type phrases struct{ zh, en []string }

// Intents of the contract taxonomy.
const (
	intentGreeting     = "greeting"
	intentProductInfo  = "product_info"
	intentSizeFit      = "size_fit"
	intentStock        = "stock"
	intentPricePromo   = "price_promo"
	intentShippingFee  = "shipping_fee"
	intentDelivery     = "delivery_time"
	intentPayment      = "payment"
	intentOrderStatus  = "order_status"
	intentModifyOrder  = "modify_order"
	intentCancelOrder  = "cancel_order"
	intentReturn       = "return_exchange"
	intentRefund       = "refund"
	intentQuality      = "quality_complaint"
	intentInvoice      = "invoice"
	intentHumanRequest = "human_request"
	intentThanksBye    = "thanks_bye"
	intentOther        = "other"
)

var buyerSays = map[string]phrases{
	intentGreeting: {
		zh: []string{"在吗", "亲，在吗", "你好", "您好", "在不在", "亲", "哈喽", "有人吗", "老板在吗", "客服在吗"},
		en: []string{"Hi", "Hello", "Hi there", "Hello, anyone there?", "Hey"},
	},
	intentProductInfo: {
		zh: []string{"{p}怎么样", "这款{p}和另一款有什么区别", "介绍一下这个{p}", "{p}是什么规格的", "这个{p}好用吗", "{p}详细参数发我看看", "这款和旗舰店的一样吗"},
		en: []string{"Can you tell me more about the {p}?", "What's the difference between this {p} and the other one?", "Is the {p} any good?"},
	},
	intentStock: {
		zh: []string{"有货吗", "{p}还有货吗", "什么时候补货", "现货还是预售", "还有库存吗", "这个缺货了吗", "亲，{p}有现货吗"},
		en: []string{"Is this in stock?", "Do you have the {p} in stock?", "When will it be back in stock?"},
	},
	intentPricePromo: {
		zh: []string{"有优惠吗", "能便宜点吗", "双十一有活动吗", "有没有优惠券", "买两件能打折吗", "满减怎么算", "亲，{p}最低多少钱", "有赠品吗", "直播间价格能给吗"},
		en: []string{"Any discount?", "Is there a coupon for this?", "Can you do a better price on the {p}?", "Any promotion if I buy two?"},
	},
	intentShippingFee: {
		zh: []string{"包邮吗", "运费多少", "偏远地区包邮吗", "新疆包邮吗", "亲，包邮吗", "运费险有吗", "邮费怎么算", "不包邮吗？"},
		en: []string{"Is shipping free?", "How much is shipping?", "How much is shipping to Singapore?", "Do you charge for delivery?"},
	},
	intentDelivery: {
		zh: []string{"什么时候发货", "几天能到", "今天下单今天发吗", "发什么快递", "到上海要几天", "能发顺丰吗", "多久能到北京"},
		en: []string{"How long does delivery take?", "When will you ship it?", "How many days to arrive in Kuala Lumpur?"},
	},
	intentPayment: {
		zh: []string{"可以用花呗吗", "能分期吗", "支持货到付款吗", "怎么付款", "可以先用后付吗", "付款失败了怎么办", "能用信用卡吗"},
		en: []string{"Can I pay with PayPal?", "Do you accept credit card?", "Can I pay in installments?", "My payment failed, what should I do?"},
	},
	intentHumanRequest: {
		zh: []string{"转人工", "人工客服", "我要找人工", "真人在吗", "人工！", "能不能转人工"},
		en: []string{"Can I talk to a human?", "Agent please", "I want to speak to a real person"},
	},
	intentThanksBye: {
		zh: []string{"好的谢谢", "谢谢亲", "好的，我再看看", "知道了，谢谢", "ok谢谢", "好嘞", "感谢"},
		en: []string{"Thanks!", "OK thank you", "Got it, thanks", "Thank you, bye"},
	},
	intentOther: {
		zh: []string{"嗯", "哦", "稍等", "[图片]", "我考虑一下", "拍了", "已拍", "？？"},
		en: []string{"ok", "hmm", "wait", "[image]", "ordered"},
	},
	intentOrderStatus: {
		zh: []string{"我的订单{o}到哪了", "订单{o}怎么还没发货", "查一下物流 {o}", "快递好几天没动了，订单号{o}", "{o} 什么时候能到"},
		en: []string{"Where is my order {o}?", "Order {o} hasn't shipped yet, why?", "Can you check the tracking for {o}?"},
	},
	intentModifyOrder: {
		zh: []string{"订单{o}地址写错了能改吗", "帮我改一下收货地址，订单{o}", "{o}还没发货能换个颜色吗", "订单{o}改下电话号码"},
		en: []string{"Can I change the address for order {o}?", "Please update the phone number on order {o}"},
	},
	intentCancelOrder: {
		zh: []string{"订单{o}不要了，帮我取消", "拍错了，取消订单{o}", "{o}取消一下谢谢"},
		en: []string{"Please cancel order {o}", "I ordered by mistake, cancel {o}"},
	},
	intentReturn: {
		zh: []string{"订单{o}想退货", "{o}买小了想换大一码", "不喜欢能退吗，订单{o}", "七天无理由退货怎么操作 {o}", "订单{o}换货怎么弄"},
		en: []string{"I want to return order {o}", "Can I exchange order {o} for a bigger one?", "How do I return {o}?"},
	},
	intentRefund: {
		zh: []string{"订单{o}退款什么时候到账", "申请退款了，{o}", "仅退款可以吗，订单{o}", "退款怎么还没到 {o}"},
		en: []string{"When will I get my refund for {o}?", "I requested a refund for {o}", "Refund for {o} still not received"},
	},
	intentQuality: {
		zh: []string{"收到的{p}有质量问题，订单{o}", "包装破了 订单{o}", "{p}有异味，订单{o}", "刚用就坏了，什么质量啊 {o}", "收到的和图片不一样 {o}"},
		en: []string{"The {p} I received is broken, order {o}", "Package was damaged, order {o}", "Item is not as described, {o}"},
	},
	intentInvoice: {
		zh: []string{"能开发票吗，订单{o}", "订单{o}开个电子发票，抬头是公司", "{o}的发票什么时候开"},
		en: []string{"Can I get an invoice for order {o}?", "Please send the invoice for {o}"},
	},
}

// topicAsks are product_info questions (size_fit for size) about a topic.
var topicAsks = map[string]phrases{
	"shelf_life": {
		zh: []string{"这个保质期多久", "{p}保质期到什么时候", "生产日期是哪天的", "生产日期是最近的吗，保质期多久", "会不会快过期了，保质期还有多久", "保质期有多长呀", "是新鲜的吗？生产日期多少"},
		en: []string{"What's the shelf life of the {p}?", "How long is the shelf life?", "What is the production date and shelf life?"},
	},
	"size": {
		zh: []string{"我{h}穿多大尺码", "身高{h}体重{w}斤穿什么尺码", "尺码偏大还是偏小", "码数标准吗", "{h}的穿哪个码数", "尺码表发一下", "平时穿M，这个尺码要拍大一码吗"},
		en: []string{"What size should I get? I'm {h}cm", "Does the {p} run small? Which size?", "I'm {h}cm and {w}kg, what size?"},
	},
	"material": {
		zh: []string{"什么材质的", "{p}是什么材质", "面料材质是纯棉吗", "材质会起球吗"},
		en: []string{"What material is it made of?", "Is the material cotton?"},
	},
	"color": {
		zh: []string{"有几个颜色", "颜色有色差吗", "黑色好看还是白色好看", "这个颜色显黑吗"},
		en: []string{"What colors are available?", "Is the color the same as in the photo?"},
	},
	"ingredients": {
		zh: []string{"配料表有什么成分", "{p}有添加剂吗，成分是什么", "成分表发一下", "配料干净吗"},
		en: []string{"What are the ingredients?", "Does it have any additives in the ingredients?"},
	},
	"origin": {
		zh: []string{"产地是哪里", "{p}产地在哪", "是原产地发货吗"},
		en: []string{"Where is the origin of the {p}?", "What's the country of origin?"},
	},
	"warranty": {
		zh: []string{"保修多久", "{p}保修期多长", "坏了能保修吗", "全国联保吗，保修怎么弄"},
		en: []string{"How long is the warranty?", "Does the {p} come with a warranty?"},
	},
	"authenticity": {
		zh: []string{"是正品吗", "保证正品吗", "{p}是不是正品，能验货吗", "官方正品吗"},
		en: []string{"Is this authentic?", "Is the {p} genuine?"},
	},
	"usage": {
		zh: []string{"怎么用", "{p}用法是什么", "使用方法发一下", "第一次用怎么操作"},
		en: []string{"How do I use it?", "Any usage instructions for the {p}?"},
	},
	"allergy": {
		zh: []string{"过敏体质能吃吗", "{p}会过敏吗", "对坚果过敏能吃吗"},
		en: []string{"Is it safe for people with nut allergy?", "Could it cause an allergy?"},
	},
	"battery": {
		zh: []string{"续航多久", "{p}续航怎么样", "电池能用多久", "电池容量多大，续航几天", "充满电续航几个小时"},
		en: []string{"How long is the battery life?", "What's the battery capacity of the {p}?"},
	},
}

var botSays = map[string]phrases{
	"welcome": {
		zh: []string{"亲，您好～欢迎光临{s}，有什么可以帮您的呢？", "您好，我是{s}的智能客服小助手，请问有什么可以帮您？"},
		en: []string{"Hello! Welcome to {s}. How can I help you today?"},
	},
	intentGreeting: {
		zh: []string{"亲，在的呢～请问有什么可以帮您？", "您好，小助手在的，请问您想了解哪款商品呢？"},
		en: []string{"Hi! How can I help you?", "Hello, I'm here. What can I do for you?"},
	},
	intentProductInfo: {
		zh: []string{"亲，这款{p}是我们店的热销款哦，详细参数可以看详情页～", "这款{p}用料很足，好评率98%，可以放心购买哦"},
		en: []string{"The {p} is one of our best sellers; full details are on the product page."},
	},
	intentStock: {
		zh: []string{"亲，{p}目前有现货，下单48小时内发货哦", "亲，部分规格库存紧张，建议尽快下单哦"},
		en: []string{"Yes, the {p} is in stock and ships within 48 hours."},
	},
	intentPricePromo: {
		zh: []string{"亲，目前店铺有满199减20的优惠券，可以在详情页领取哦", "亲，活动价已经很划算了呢，下单还送小礼品哦"},
		en: []string{"There is a coupon on the product page: 10% off orders over $50."},
	},
	intentShippingFee: {
		zh: []string{"亲，全国大部分地区包邮哦，新疆西藏等偏远地区需补运费", "亲，满99包邮哦，不满需要运费8元"},
		en: []string{"Shipping is free for orders over $30; otherwise it is $5."},
	},
	intentDelivery: {
		zh: []string{"亲，下单后48小时内发货，一般3-5天送达哦", "亲，默认发中通，需要顺丰可以补差价哦"},
		en: []string{"We ship within 48 hours; delivery usually takes 5-7 days."},
	},
	intentPayment: {
		zh: []string{"亲，支持花呗和信用卡付款哦", "亲，支持花呗分期，3期免息哦"},
		en: []string{"We accept credit cards and PayPal."},
	},
	intentHumanRequest: {
		zh: []string{"正在为您转接人工客服，请稍候～", "好的亲，马上为您转人工"},
		en: []string{"Connecting you to a human agent, please wait."},
	},
	intentThanksBye: {
		zh: []string{"不客气哦亲，祝您购物愉快～", "感谢您的咨询，有问题随时找我哦"},
		en: []string{"You're welcome! Have a nice day."},
	},
	intentOther: {
		zh: []string{"好的亲，还有什么可以帮您的吗？"},
		en: []string{"Anything else I can help you with?"},
	},
	"after_sale": {
		zh: []string{"亲，已为您查询到订单，请耐心等待哦", "亲，您的问题已记录，售后专员会在24小时内处理", "亲，可以在订单页面申请售后，我们会尽快处理"},
		en: []string{"I've found your order; our after-sales team will handle it within 24 hours."},
	},
	"handoff": {
		zh: []string{"正在为您转接人工客服，请稍候～", "这个问题为您转接人工客服处理哦"},
		en: []string{"Let me transfer you to a human agent."},
	},
}

var botFallback = phrases{
	zh: []string{"抱歉，我没听懂您的问题，可以换个说法吗？", "亲，这个问题小助手暂时回答不了呢，您可以输入“转人工”", "抱歉，我没有理解您的意思", "不好意思，没有找到相关答案呢"},
	en: []string{"Sorry, I didn't understand that. Could you rephrase?", "Sorry, I don't have an answer for that yet."},
}

var topicAnswers = map[string]phrases{
	"shelf_life":   {zh: []string{"亲，{p}保质期12个月，都是近三个月生产的新鲜批次哦"}, en: []string{"The shelf life is 12 months; all stock was produced in the last 3 months."}},
	"size":         {zh: []string{"亲，建议参考详情页尺码表，身高{h}建议拍L码哦", "亲，尺码是标准码，按平时穿的拍就可以哦"}, en: []string{"Please check the size chart; for {h}cm we recommend L."}},
	"material":     {zh: []string{"亲，{p}是优质面料，舒适透气哦"}, en: []string{"It's made of breathable premium fabric."}},
	"color":        {zh: []string{"亲，颜色以实物为准，基本没有色差哦"}, en: []string{"Colors are true to the photos."}},
	"ingredients":  {zh: []string{"亲，配料表在详情页第三张图，无添加防腐剂哦"}, en: []string{"The ingredient list is on the product page; no preservatives."}},
	"origin":       {zh: []string{"亲，{p}原产地直发哦"}, en: []string{"It ships directly from the place of origin."}},
	"warranty":     {zh: []string{"亲，{p}全国联保一年，支持换新哦"}, en: []string{"One-year warranty with replacement."}},
	"authenticity": {zh: []string{"亲，官方授权正品，假一赔十哦"}, en: []string{"100% authentic, officially licensed."}},
	"usage":        {zh: []string{"亲，使用方法见详情页说明书哦"}, en: []string{"Instructions are on the product page."}},
	"allergy":      {zh: []string{"亲，过敏体质建议先看配料表或咨询医生哦"}, en: []string{"If you have allergies please check the ingredient list first."}},
	"battery":      {zh: []string{"亲，{p}满电续航约20小时哦"}, en: []string{"Battery life is about 20 hours on a full charge."}},
}

var agentSays = map[string]phrases{
	"hello": {
		zh: []string{"您好，我是客服{a}，很高兴为您服务～", "亲，人工客服{a}为您服务，请问有什么可以帮您？"},
		en: []string{"Hi, this is {a} from customer service. How can I help?"},
	},
	"answer": {
		zh: []string{"亲，这个我帮您确认了，没问题的哦", "亲，可以的，您放心拍", "好的亲，已经帮您备注了", "亲，我这边帮您申请一下，稍等哦", "亲，这边已经帮您处理好了"},
		en: []string{"Sure, I've checked that for you, no problem.", "Done, I've noted it on your order.", "Let me take care of that for you."},
	},
	intentThanksBye: {
		zh: []string{"不客气，有问题随时联系我哦～", "感谢您的耐心，祝您生活愉快"},
		en: []string{"You're welcome, have a great day!"},
	},
}

var annoyed = phrases{
	zh: []string{"你们这什么服务啊", "回复太慢了吧", "问了半天也没说清楚", "答非所问，气死了"},
	en: []string{"This service is terrible", "You are not answering my question"},
}

var stillThere = phrases{zh: []string{"在吗？？", "有人吗？", "人呢"}, en: []string{"Hello??", "Anyone?"}}

var ordered = phrases{zh: []string{"拍了", "已拍，尽快发货哦", "好的，下单了"}, en: []string{"Ordered, thanks", "Just placed the order"}}
