package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"unicode"
	"unicode/utf8"

	"github.com/convintel/convintel/simulate"
)

// writeDemoDimensions writes the simulated shops', products', agents' and
// script experiments' display names as a dimension file
// (reports.dimensions_file), so the demo's reports show 「每日坚果混合果仁礼盒」
// rather than p01-nuts, an agent's nickname rather than agent-01-1 and
// 「限时优惠话术」 rather than limited-time-script, as a shop's own file
// would.
func writeDemoDimensions(path string, shops []simulate.Shop, experiments []simulate.Experiment) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"kind", "id", "zh", "en"})
	agents := 0
	for _, s := range shops {
		_ = w.Write([]string{"shop", s.ID, s.Name, s.NameEN})
		for _, p := range s.Products {
			_ = w.Write([]string{"product", p.ID, p.Name, productNameEN(p.NameEN)})
		}
		for _, a := range s.Agents {
			zh, en := agentNickname(agents)
			_ = w.Write([]string{"agent", a, zh, en})
			agents++
		}
	}
	for _, x := range experiments {
		if n, ok := experimentNames[x.Name]; ok {
			_ = w.Write([]string{"experiment", x.Name, n[0], n[1]})
		}
		for _, v := range x.Variants {
			if n, ok := armNames[v]; ok {
				_ = w.Write([]string{"arm", x.Name + "/" + v, n[0], n[1]})
			}
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// productNameEN is a product's English display name: the simulator's
// name, lower case for its buyers' sentences ("is the floral chiffon dress
// in stock"), with its first letter capitalised as a catalogue names it.
// As it was, the pages' product cells and alert titles read "floral
// chiffon dress" beside "West Lake Longjing green tea".
func productNameEN(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// agentNicknames are customer-service nicknames as Taobao and JD shops
// give their agents (花名), with a romanised form for English pages.
var agentNicknames = [][2]string{
	{"小美", "Mei"}, {"阿杰", "Jie"}, {"小雨", "Yu"}, {"晓晓", "Xiaoxiao"}, {"安安", "An'an"},
	{"小鹿", "Lu"}, {"阿宁", "Ning"}, {"果果", "Guoguo"}, {"小舟", "Zhou"}, {"青青", "Qingqing"},
	{"阿泽", "Ze"}, {"朵朵", "Duoduo"}, {"小白", "Bai"}, {"阿南", "Nan"}, {"糖糖", "Tangtang"},
	{"小夏", "Xia"}, {"阿卡", "Ka"}, {"豆豆", "Doudou"}, {"小七", "Qi"}, {"一一", "Yiyi"},
}

// agentNickname is the n-th agent's nickname (0-based), numbered once the
// list is used up so that every agent's stays its own.
func agentNickname(n int) (zh, en string) {
	nick := agentNicknames[n%len(agentNicknames)]
	if r := n / len(agentNicknames); r > 0 {
		return fmt.Sprintf("%s%d", nick[0], r+1), fmt.Sprintf("%s %d", nick[1], r+1)
	}
	return nick[0], nick[1]
}

// experimentNames and armNames name the simulator's script experiments
// (simulate.DefaultExperiments) and their arms as an operations manager
// would: the experiments page showed `limited-time-script` and `control`.
var (
	experimentNames = map[string][2]string{
		"limited-time-script": {"限时优惠话术", "Limited-time offer script"},
		"free-shipping-hint":  {"包邮提示话术", "Free-shipping hint script"},
		"emoji-greeting":      {"表情问候语", "Emoji greeting"},
	}
	armNames = map[string][2]string{
		"control":            {"原话术", "Current script"},
		"limited-time":       {"限时优惠", "Limited-time offer"},
		"free-shipping-hint": {"提示包邮", "Free-shipping hint"},
		"emoji":              {"带表情问候", "Greeting with emoji"},
	}
)
