/**
 * The words for days in the languages the email parser reads besides English (German, French,
 * Spanish, Portuguese, Italian, Dutch): weekdays, today and tomorrow, this and next week, the
 * end of the month, "in N days", and dates without a year. src/context/time.ts resolves them
 * the same way as the English ones.
 *
 * Words that are also something else are taken only where they can only be dates: German
 * and Dutch "morgen" is "tomorrow" written small and "morning" as a noun ("Guten Morgen",
 * "de morgen"); Spanish "mañana" is "morning" after an article ("por la mañana"); "fin de
 * semana", "fim de semana" and "fine settimana" are the weekend, not the end of the week, so
 * those languages get no end of week; Portuguese "segunda" and "sexta" alone are ordinals
 * unless a word like "até" or "na" leads them. Patterns are source text for `new RegExp` with
 * the `u` and `i` flags; no lookbehind (older iOS).
 */
export interface DateWords {
	language: string;
	/** Per weekday, Sunday first: the forms, as alternatives. */
	weekdays: string[];
	/** Short weekday forms taken only after a lead word (Portuguese "sexta"). */
	shortWeekdays?: string[];
	/** Words before a weekday that only say when ("by", "on", "until"). */
	lead: string;
	/** "Next" before or after a weekday: the coming one, or the one in the week after (both are given when they differ). */
	nextBefore?: string;
	nextAfter?: string;
	/** "This" before a weekday: this week's, if still to come. */
	thisBefore?: string;
	today: string;
	/** Tomorrow; `notAfter`: words that make it "morning" when they come just before. */
	tomorrow: { word: string; lowercaseOnly?: boolean; notAfter?: string };
	afterTomorrow: string;
	thisWeek: string;
	nextWeek: string;
	endOfMonth: string;
	endOfWeek?: string;
	/** "in 3 days", "within two weeks": the words before the number, the number words, the units. */
	within: string;
	numbers: Record<string, number>;
	days: string;
	weeks: string;
	/** The word for "month" in every form the patterns use (what "end of the month" needs). */
	monthWords: string;
	/** Month names, January first, as alternatives. */
	months: string[];
	/** Between the day's number and the month: "1. Dezember", "1er décembre", "1 de diciembre". */
	dayMonth: string;
}

/** Every language's weekday and month names, as plain lower-case words ("freitag", "décembre", "segunda-feira"). */
export function dayAndMonthNames(): string[] {
	return DATE_WORDS.flatMap((words) => [...words.weekdays, ...(words.shortWeekdays ?? []), ...words.months]).flatMap((alternatives) => alternatives.split("|")).filter(Boolean);
}

export const DATE_WORDS: readonly DateWords[] = [
	{
		language: "de",
		weekdays: ["sonntag", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag|sonnabend"],
		lead: "(?:bis\\s+(?:zum\\s+|spätestens\\s+)?|spätestens\\s+(?:am\\s+)?|am\\s+|ab\\s+|vor\\s+)",
		nextBefore: "(?:nächsten|nächster|kommenden|kommender)",
		thisBefore: "(?:diesen|dieser|diesem)",
		today: "heute",
		tomorrow: { word: "morgen", lowercaseOnly: true, notAfter: "(?:guten|heute|jeden|am|den|dem|gestern)" },
		afterTomorrow: "übermorgen",
		thisWeek: "(?:diese|dieser)\\s+woche",
		nextWeek: "(?:nächste|nächsten|kommende|kommenden)\\s+woche",
		endOfMonth: "(?:ende\\s+(?:des|dieses)\\s+monats|monatsende)",
		endOfWeek: "ende\\s+(?:der|dieser)\\s+woche",
		within: "(?:in|innerhalb\\s+von)",
		numbers: { einem: 1, einer: 1, zwei: 2, drei: 3, vier: 4, fünf: 5, sechs: 6, sieben: 7, acht: 8, neun: 9, zehn: 10, vierzehn: 14 },
		days: "(?:tagen|tag)",
		weeks: "(?:wochen|woche)",
		monthWords: "monat|monats|monatsende",
		months: ["januar|jänner", "februar|feber", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"],
		dayMonth: "\\.\\s*",
	},
	{
		language: "fr",
		weekdays: ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
		lead: "(?:d['’]ici\\s+(?:à\\s+)?|jusqu['’]à\\s+|avant\\s+|pour\\s+|dès\\s+)?(?:le\\s+)?",
		nextAfter: "prochain",
		thisBefore: "ce",
		today: "aujourd['’]hui",
		tomorrow: { word: "demain" },
		afterTomorrow: "après-demain",
		thisWeek: "cette\\s+semaine",
		nextWeek: "(?:la\\s+)?semaine\\s+prochaine",
		endOfMonth: "(?:la\\s+)?fin\\s+(?:du|de\\s+ce|de)\\s+mois",
		within: "(?:dans|sous|d['’]ici)",
		numbers: { un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9, dix: 10, quinze: 15 },
		days: "jours?",
		weeks: "semaines?",
		monthWords: "mois",
		months: ["janvier", "février|fevrier", "mars", "avril", "mai", "juin", "juillet", "août|aout", "septembre", "octobre", "novembre", "décembre|decembre"],
		dayMonth: "(?:er)?\\s+",
	},
	{
		language: "es",
		weekdays: ["domingo", "lunes", "martes", "miércoles|miercoles", "jueves", "viernes", "sábado|sabado"],
		lead: "(?:(?:para|hasta|antes\\s+de|desde)\\s+)?(?:el\\s+)?",
		nextBefore: "(?:próximo|proximo)",
		nextAfter: "que\\s+viene",
		thisBefore: "este",
		today: "hoy",
		tomorrow: { word: "mañana", notAfter: "(?:la|esta|cada|una|toda|media)" },
		afterTomorrow: "pasado\\s+mañana",
		thisWeek: "esta\\s+semana",
		nextWeek: "(?:la\\s+)?(?:(?:próxima|proxima)\\s+semana|semana\\s+que\\s+viene)",
		endOfMonth: "(?:a\\s+)?(?:finales|final|fin)\\s+de(?:l)?\\s+mes",
		within: "(?:en|dentro\\s+de)",
		numbers: { un: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10, quince: 15 },
		days: "(?:días|dias|día|dia)",
		weeks: "semanas?",
		monthWords: "mes",
		months: ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre|setiembre", "octubre", "noviembre", "diciembre"],
		dayMonth: "\\s+de\\s+",
	},
	{
		language: "pt",
		weekdays: ["domingo", "segunda-feira", "terça-feira|terca-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado|sabado"],
		shortWeekdays: ["", "segunda", "terça|terca", "quarta", "quinta", "sexta", ""],
		lead: "(?:até\\s+(?:a\\s+|o\\s+)?|na\\s+|no\\s+|para\\s+(?:a\\s+|o\\s+)?)",
		nextBefore: "(?:(?:na|a|no|o)\\s+)?(?:próxima|proxima|próximo|proximo)",
		thisBefore: "(?:nesta|neste|esta|este)",
		today: "hoje",
		tomorrow: { word: "amanhã" },
		afterTomorrow: "depois\\s+de\\s+amanhã",
		thisWeek: "(?:esta|nesta)\\s+semana",
		nextWeek: "(?:(?:na|a)\\s+)?(?:(?:próxima|proxima)\\s+semana|semana\\s+que\\s+vem)",
		endOfMonth: "(?:(?:ao|no|até\\s+o)\\s+)?(?:final|fim)\\s+do\\s+mês",
		within: "(?:em|daqui\\s+a|dentro\\s+de)",
		numbers: { um: 1, uma: 1, dois: 2, duas: 2, três: 3, tres: 3, quatro: 4, cinco: 5, seis: 6, sete: 7, oito: 8, nove: 9, dez: 10, quinze: 15 },
		days: "dias?",
		weeks: "semanas?",
		monthWords: "mês",
		months: ["janeiro", "fevereiro", "março|marco", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"],
		dayMonth: "º?\\s+de\\s+",
	},
	{
		language: "it",
		weekdays: ["domenica", "lunedì|lunedi", "martedì|martedi", "mercoledì|mercoledi", "giovedì|giovedi", "venerdì|venerdi", "sabato"],
		lead: "(?:(?:entro|per|da|fino\\s+a)\\s+)?",
		nextBefore: "(?:il\\s+)?prossimo",
		nextAfter: "prossimo",
		thisBefore: "questo",
		today: "oggi",
		tomorrow: { word: "domani" },
		afterTomorrow: "dopodomani",
		thisWeek: "questa\\s+settimana",
		nextWeek: "(?:la\\s+)?(?:prossima\\s+settimana|settimana\\s+prossima)",
		endOfMonth: "(?:(?:entro|per)\\s+)?(?:la\\s+)?fine\\s+(?:del\\s+|di\\s+questo\\s+)?mese",
		within: "(?:tra|fra|entro)",
		numbers: { un: 1, una: 1, due: 2, tre: 3, quattro: 4, cinque: 5, sei: 6, sette: 7, otto: 8, nove: 9, dieci: 10, quindici: 15 },
		days: "(?:giorni|giorno)",
		weeks: "(?:settimane|settimana)",
		monthWords: "mese",
		months: ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
		dayMonth: "\\s+",
	},
	{
		language: "nl",
		weekdays: ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
		lead: "(?:(?:voor|op|uiterlijk|tot)\\s+)?",
		nextBefore: "(?:volgende|aanstaande)",
		thisBefore: "deze",
		today: "vandaag",
		tomorrow: { word: "morgen", lowercaseOnly: true, notAfter: "(?:de|een|elke|deze|die)" },
		afterTomorrow: "overmorgen",
		thisWeek: "deze\\s+week",
		nextWeek: "(?:volgende|komende)\\s+week",
		endOfMonth: "(?:het\\s+)?(?:eind|einde)\\s+(?:van\\s+de|deze)\\s+maand",
		endOfWeek: "(?:het\\s+)?(?:eind|einde)\\s+(?:van\\s+de|deze)\\s+week",
		within: "(?:over|binnen)",
		numbers: { een: 1, één: 1, twee: 2, drie: 3, vier: 4, vijf: 5, zes: 6, zeven: 7, acht: 8, negen: 9, tien: 10, veertien: 14 },
		days: "(?:dagen|dag)",
		weeks: "(?:weken|week)",
		monthWords: "maand",
		months: ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
		dayMonth: "\\s+",
	},
];
