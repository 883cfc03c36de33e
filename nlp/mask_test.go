package nlp

import (
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	f := func(in, want string) {
		t.Helper()
		if got := Mask(in); got != want {
			t.Fatalf("Mask(%q)\n got %q\nwant %q", in, got, want)
		}
	}
	// phones
	f("我电话13812345678，到了打给我", "我电话[PHONE]，到了打给我")
	f("call me 138 1234 5678 pls", "call me [PHONE] pls")
	f("手机 138-1234-5678", "手机 [PHONE]")
	f("+86 139 0000 1111", "[PHONE]")
	f("+8615900001111", "[PHONE]")
	f("数量2 15900001111", "数量2 [PHONE]")
	// ID cards (valid check characters)
	f("身份证11010519491231002X", "身份证[IDCARD]")
	f("id 110105199003071239 ok", "id [IDCARD] ok")
	f("id 110105199003071238 ok", "id 110105199003071238 ok") // wrong check digit
	// e-mail
	f("发我邮箱 zhang.san+shop@example.com.cn 谢谢", "发我邮箱 [EMAIL] 谢谢")
	f("mail: a_b@qq.com.", "mail: [EMAIL].")
	// bank cards: Luhn-valid
	f("卡号6222 0212 3456 7894", "卡号[CARD]")
	f("卡号6222 0212 3456 7895", "卡号6222 0212 3456 7895") // fails Luhn
	f("card 4111111111111111", "card [CARD]")
	// addresses
	f("地址是浙江省杭州市西湖区文三路90号东部软件园3号楼502室，收件人张三", "地址是[ADDRESS]，收件人张三")
	f("寄到北京市朝阳区建国路88号", "寄到[ADDRESS]")
	f("ship to No. 12 Baker Road, London", "ship to [ADDRESS], London")
	f("my address is 221B Baker Street", "my address is [ADDRESS]")
	f("send it to 5 main st", "send it to 5 main st") // lower-case ambiguous suffix: left alone
	// non-cases: order ids, prices, dates, quantities
	f("订单号 2012345678901234567 到哪了", "订单号 2012345678901234567 到哪了")
	f("order 4111111111111111 status", "order 4111111111111111 status")
	f("订单123456789012345678", "订单123456789012345678")
	f("价格199.00元 买2件", "价格199.00元 买2件")
	f("2024-05-01 下的单", "2024-05-01 下的单")
	f("12345678901", "12345678901")
	f("我5月3号下的单 3号楼的快递", "我5月3号下的单 3号楼的快递")
	f("it took 3 days way too long", "it took 3 days way too long")
	f("没有数字的消息", "没有数字的消息")
	f("邮箱是 @我 的", "邮箱是 @我 的")
	f("", "")
}

func TestMaskNoAllocWithoutPII(t *testing.T) {
	// The second and third hold division characters (市, 区), which make
	// Mask look for an address without a house number.
	for _, s := range []string{"亲，这个有货吗？什么时候发货", "发往北京市朝阳区要几天", "超市买的比城市里便宜，区别不大"} {
		if n := testing.AllocsPerRun(100, func() { Mask(s) }); n != 0 {
			t.Fatalf("Mask allocated %v times on %q, which holds no personal data", n, s)
		}
	}
}

func BenchmarkMask(b *testing.B) {
	msgs := []string{"亲，这个有货吗？什么时候发货", "电话13812345678 地址浙江省杭州市西湖区文三路90号", "订单号 2012345678901234567 到哪了", "hey is this in stock??"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Mask(msgs[i%len(msgs)])
	}
}

func TestMaskJoinedAndFullwidth(t *testing.T) {
	f := func(in, want string) {
		t.Helper()
		if got := Mask(in); got != want {
			t.Fatalf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
	f("电话１３８１２３４５６７８", "电话[PHONE]")
	f("138 1234 5678 138 1234 5678", "[PHONE] [PHONE]")
	f("订单 123456789012345678 13812345678", "订单 123456789012345678 [PHONE]")
	f("订单号 2026111100012345 已发货", "订单号 2026111100012345 已发货")
	f("价格 199 元，买 2 件", "价格 199 元，买 2 件")
}

// TestHanRunsMatchHanDigit: hanRuns recognises the numerals by their UTF-8
// bytes, hanDigit by rune; the two must name the same characters, or a
// numeral would be read as a digit in one place and not the other.
func TestHanRunsMatchHanDigit(t *testing.T) {
	found := 0
	for r := rune(0x3000); r <= 0x9FFF; r++ {
		runs, _ := hanRuns(strings.Repeat(string(r), minHanRun), nil)
		if got, want := len(runs) == 1, hanDigit(r) != 0; got != want {
			t.Errorf("%c (U+%04X): hanRuns finds a run %v, hanDigit says a numeral %v", r, r, got, want)
		}
		if hanDigit(r) != 0 {
			found++
		}
	}
	if found < 13 {
		t.Fatalf("only %d numerals", found)
	}
}

// TestOrderNumberWordsByScript: orderNumberBefore looks only at the words
// that end like the text before the number (a Han character or ASCII), so
// the list must hold the Han-ending words first, orderNumberWordsZh of them.
func TestOrderNumberWordsByScript(t *testing.T) {
	for k, w := range orderNumberWords {
		if han := w[len(w)-1] >= 0x80; han != (k < orderNumberWordsZh) {
			t.Errorf("orderNumberWords[%d] = %q is on the wrong side of orderNumberWordsZh (%d)", k, w, orderNumberWordsZh)
		}
	}
}
