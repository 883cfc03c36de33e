package nlp

import "strings"

// JD's chat window pastes an order card when a buyer asks from an order
// page: 「咨询订单号:[订单x] 订单金额:[金额x] 下单时间:[日期x]」, 「商品ID:…」,
// 「顾客通过点击web咚咚[站点x]信息发送:[订单编号:…]」. When the buyer also
// wrote something (「这订单帮我取消了啊 买错了 咨询订单号:…」) the card's
// words pull the intent towards order_status; the intent features then
// read the text without the card, plus one feature saying a card was there.
// A card alone keeps its own words (a card pasted to open a chat is an
// order-status question).

// orderCardFields are the card's field names, as normalised text (lower
// case, ASCII colon); each is followed by a bracketed value.
var orderCardFields = []string{"咨询订单号:", "订单金额:", "下单时间:", "商品id:", "订单编号:"}

const orderCardSender = "顾客通过点击web咚咚"

// useCardStrip: see stripOrderCards.
var useCardStrip = true

func hasOrderCard(norm string) bool {
	if strings.IndexByte(norm, ':') < 0 {
		return false // every field and the sender line end in a colon
	}
	for _, f := range orderCardFields {
		if strings.Contains(norm, f) {
			return true
		}
	}
	return strings.Contains(norm, orderCardSender)
}

// stripOrderCards appends norm without its order-card fields (a field name,
// an optional space and its value up to the closing bracket, or up to the
// next space when the value is not bracketed) to dst.
func stripOrderCards(dst []byte, norm string) []byte {
	for i := 0; i < len(norm); {
		n := cardFieldAt(norm, i)
		if n == 0 {
			dst = append(dst, norm[i])
			i++
			continue
		}
		dst = append(dst, ' ')
		i += n
	}
	return dst
}

// cardFieldAt returns the length of the card field starting at i, or 0.
func cardFieldAt(s string, i int) int {
	rest := s[i:]
	if strings.HasPrefix(rest, orderCardSender) {
		// 顾客通过点击web咚咚[站点x]信息发送:
		if j := strings.Index(rest, "信息发送:"); j >= 0 && j < 64 {
			return j + len("信息发送:")
		}
		return len(orderCardSender)
	}
	for _, f := range orderCardFields {
		if !strings.HasPrefix(rest, f) {
			continue
		}
		j := len(f)
		for j < len(rest) && rest[j] == ' ' {
			j++
		}
		if j < len(rest) && rest[j] == '[' {
			if k := strings.IndexByte(rest[j:], ']'); k >= 0 {
				j += k + 1
				// 下单时间:[日期x] [时间x]
				if strings.HasPrefix(rest[j:], " [时间x]") {
					j += len(" [时间x]")
				}
				return j
			}
			return len(rest)
		}
		for j < len(rest) && rest[j] != ' ' && rest[j] != ',' {
			j++
		}
		return j
	}
	return 0
}
