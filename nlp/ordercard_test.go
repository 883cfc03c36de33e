package nlp

import (
	"strings"
	"testing"
)

func TestStripOrderCards(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"这订单帮我取消了啊 买错了 咨询订单号:[订单x] 订单金额:[金额x] 下单时间:[日期x] [时间x] 好吗", "这订单帮我取消了啊 买错了        好吗"},
		{"咨询订单号:[订单x]    商品id:[数字x] 本订单未收到货", "     本订单未收到货"},
		{"顾客通过点击web咚咚[站点x]信息发送:[订单编号:[订单x],订单金额:[金额x],下单时间:[日期x] [时间x]] 发票改为公司", " [ , , ] 发票改为公司"},
		{"订单号:[订单x] 还没到", "订单号:[订单x] 还没到"}, // typed by the buyer: kept
		{"商品id:12345 有货吗", "  有货吗"},
		{"没有卡片", "没有卡片"},
	} {
		// Spaces stand where a field was; only the words matter.
		if got := strings.Join(strings.Fields(string(stripOrderCards(nil, c.in))), " "); got != strings.Join(strings.Fields(c.want), " ") {
			t.Errorf("stripOrderCards(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// A pasted card no longer outvotes what the buyer wrote.
	m := testModel(t)
	if got, _ := m.Classifier(TaskIntent).Predict("这订单帮我取消了啊 买错了 咨询订单号:[订单x] 订单金额:[金额x] 下单时间:[日期x]"); got != "cancel_order" {
		t.Errorf("a cancel request with an order card: %s, want cancel_order", got)
	}
}
