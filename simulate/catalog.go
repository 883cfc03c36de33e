package simulate

import "fmt"

// ProductKind groups products by what buyers ask about them.
type ProductKind string

// Product kinds.
const (
	KindFood        ProductKind = "food"        // shelf life, ingredients, origin
	KindClothing    ProductKind = "clothing"    // size, material, colour
	KindElectronics ProductKind = "electronics" // battery, warranty, authenticity
)

// Product is one item a shop sells.
type Product struct {
	ID         string      `json:"product_id"`
	Slug       string      `json:"slug"`
	Name       string      `json:"name"`    // Chinese title
	NameEN     string      `json:"name_en"` // English title
	Category   string      `json:"category"`
	Kind       ProductKind `json:"kind"`
	PriceCents int64       `json:"price_cents"`
	SKUs       []string    `json:"skus,omitempty"`
}

// Topics lists the product-attribute topics the simulator can phrase, in
// a stable order. Every topic's phrasing contains a dictionary word for it.
var Topics = []string{"shelf_life", "size", "material", "color", "ingredients", "origin", "warranty", "authenticity", "usage", "allergy", "battery"}

var kindTopics = map[ProductKind][]string{
	KindFood:        {"shelf_life", "shelf_life", "ingredients", "origin", "allergy", "authenticity", "usage"},
	KindClothing:    {"material", "color", "material"},
	KindElectronics: {"battery", "warranty", "authenticity", "color", "usage", "battery"},
}

type baseProduct struct {
	slug, name, nameEN, category string
	kind                         ProductKind
	cents                        int64
	skus                         []string
}

var baseProducts = map[string]baseProduct{
	"nuts":        {"nuts", "每日坚果混合果仁礼盒", "daily mixed nuts gift box", "零食", KindFood, 8900, nil},
	"beef-jerky":  {"beef-jerky", "内蒙古风干牛肉干", "air-dried beef jerky", "零食", KindFood, 6990, nil},
	"longjing":    {"longjing", "明前西湖龙井茶叶", "West Lake Longjing green tea", "茶叶", KindFood, 26800, nil},
	"puer":        {"puer", "云南普洱熟茶饼", "Yunnan pu-erh tea cake", "茶叶", KindFood, 15800, nil},
	"milk-powder": {"milk-powder", "婴幼儿配方奶粉3段", "infant formula milk powder stage 3", "奶粉", KindFood, 32800, nil},
	"dress":       {"dress", "碎花雪纺连衣裙", "floral chiffon dress", "连衣裙", KindClothing, 19900, []string{"S", "M", "L", "XL"}},
	"down-jacket": {"down-jacket", "白鸭绒连帽羽绒服", "hooded down jacket", "羽绒服", KindClothing, 59900, []string{"M", "L", "XL", "XXL"}},
	"sneakers":    {"sneakers", "透气跑步运动鞋", "breathable running sneakers", "运动鞋", KindClothing, 38900, []string{"39", "40", "41", "42", "43"}},
	"hoodie":      {"hoodie", "加绒连帽卫衣", "fleece hoodie", "卫衣", KindClothing, 15900, []string{"M", "L", "XL"}},
	"earbuds":     {"earbuds", "主动降噪蓝牙耳机", "noise-cancelling wireless earbuds", "耳机", KindElectronics, 29900, []string{"white", "black"}},
	"power-bank":  {"power-bank", "20000mAh快充充电宝", "20000mAh fast-charging power bank", "充电宝", KindElectronics, 12900, nil},
	"phone-case":  {"phone-case", "磁吸防摔手机壳", "magnetic shockproof phone case", "手机壳", KindElectronics, 2990, []string{"black", "clear", "blue"}},
	"charger":     {"charger", "65W氮化镓充电器", "65W GaN charger", "充电器", KindElectronics, 9900, nil},
}

type shopProfile struct {
	name     string
	nameEN   string
	products []string
	channels []weighted[string]
}

type weighted[T any] struct {
	v T
	w float64
}

var shopProfiles = []shopProfile{
	{"良品小铺", "Goodies Store", []string{"nuts", "beef-jerky", "longjing", "puer", "milk-powder"},
		[]weighted[string]{{"taobao", 0.45}, {"tmall", 0.25}, {"douyin", 0.2}, {"wechat", 0.1}}},
	{"衣橱时光旗舰店", "Wardrobe Time", []string{"dress", "down-jacket", "sneakers", "hoodie"},
		[]weighted[string]{{"tmall", 0.35}, {"taobao", 0.25}, {"douyin", 0.25}, {"pdd", 0.15}}},
	{"极客数码专营店", "Geek Digital", []string{"earbuds", "power-bank", "phone-case", "charger"},
		[]weighted[string]{{"jd", 0.5}, {"app", 0.2}, {"web", 0.15}, {"pdd", 0.15}}},
	{"优选百货", "Select Mall", []string{"nuts", "longjing", "milk-powder", "dress", "sneakers", "earbuds", "power-bank"},
		[]weighted[string]{{"jd", 0.3}, {"tmall", 0.2}, {"wechat", 0.2}, {"app", 0.15}, {"web", 0.15}}},
}

var englishChannels = []weighted[string]{{"whatsapp", 0.7}, {"web", 0.3}}

var agentNames = []string{"小美", "小雨", "阿杰", "晓晓", "小林", "婷婷", "大伟", "Lily"}

// Shop is one simulated merchant.
type Shop struct {
	ID       string    `json:"shop_id"`
	Name     string    `json:"name"`
	NameEN   string    `json:"name_en"`
	Products []Product `json:"products"`
	Agents   []string  `json:"agents"`
	channels []weighted[string]
}

// ShopID is the id of shop i (0-based): "shop-01", "shop-02", …
func ShopID(i int) string { return fmt.Sprintf("shop-%02d", i+1) }

// Shops returns the shops of a configuration with their catalogues. The
// catalogue depends on the shop index only, not on the seed, so anomaly
// subjects can be chosen before a run.
func Shops(n int) []Shop {
	shops := make([]Shop, n)
	for i := range shops {
		p := shopProfiles[i%len(shopProfiles)]
		s := Shop{ID: ShopID(i), Name: p.name, NameEN: p.nameEN, channels: p.channels}
		if i >= len(shopProfiles) {
			s.Name = fmt.Sprintf("%s%d号店", p.name, i+1)
			s.NameEN = fmt.Sprintf("%s %d", p.nameEN, i+1)
		}
		for _, slug := range p.products {
			b := baseProducts[slug]
			s.Products = append(s.Products, Product{
				ID: fmt.Sprintf("p%02d-%s", i+1, slug), Slug: slug, Name: b.name, NameEN: b.nameEN,
				Category: b.category, Kind: b.kind, PriceCents: b.cents, SKUs: b.skus,
			})
		}
		na := 3 + i%3
		for k := 0; k < na; k++ {
			s.Agents = append(s.Agents, fmt.Sprintf("agent-%02d-%d", i+1, k+1))
		}
		shops[i] = s
	}
	return shops
}

func (s *Shop) product(id string) (int, bool) {
	for i := range s.Products {
		if s.Products[i].ID == id {
			return i, true
		}
	}
	return 0, false
}
