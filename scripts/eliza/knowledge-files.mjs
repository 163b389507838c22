// The character's knowledge file, before and after it changes. Every sentence names its topic, so
// every chunk ElizaOS cuts (512 characters) is about it; the changed file is shorter, so a chunk
// of the old one that survived the cleanup would show.
const sentences = (topic, facts) => facts.map((f) => `The ${topic} ${f}.`).join(" ");

export const FILE = "zorblax.md";

export const original = [
	"# Zorblax",
	"",
	`Zorblax is a folding bicycle. ${sentences("zorblax", [
		"frame is made of titanium",
		"weighs nine kilograms",
		"folds in twelve seconds",
		"has sixteen inch wheels",
		"was designed in Tallinn in 2011",
		"comes in green, orange and grey",
		"carries a front bag of twenty litres",
		"uses a belt drive instead of a chain",
		"has three gears in the rear hub",
		"fits under a train seat when folded",
		"needs no tools to fold or unfold",
		"has a dynamo in the front hub",
		"was sold in forty countries by 2020",
		"owners meet every spring in Tartu",
		"has a lifetime warranty on the frame",
		"saddle can be raised by fifteen centimetres",
		"brakes are hydraulic discs",
		"can be rolled on its rack when folded",
		"manual is printed on recycled paper",
		"bell plays two notes",
		"factory runs on wind power",
		"tyres are puncture resistant",
		"name comes from a children's story",
		"club has ten thousand members",
		"lights are charged by the dynamo",
		"kickstand is built into the frame",
		"pedals fold flat against the cranks",
		"mudguards are made of bamboo",
		"chainless drive never needs oil",
	])}`,
].join("\n");

export const changed = [
	"# Quintessa",
	"",
	`Quintessa is a rowing boat. ${sentences("quintessa", [
		"hull is made of cedar",
		"seats two people and a dog",
		"has a brass bell",
		"was first built in 1921 on a quiet lake",
		"oars are made of ash",
		"weighs forty kilograms",
		"is painted white and blue",
		"has a small sail for windy days",
		"floats even when full of water",
		"is stored upside down in winter",
		"was restored in 1987",
		"takes part in a summer regatta",
		"rudder is made of oak",
		"has a cushion for each seat",
		"is named after a grandmother",
	])}`,
].join("\n");
