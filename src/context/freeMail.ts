/** Personal mail providers: a sender at one of these says nothing about an organization. */
export const FREE_MAIL_DOMAINS = new Set([
	"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com", "msn.com", "yahoo.com", "yahoo.co.uk",
	"yahoo.fr", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me", "gmx.com",
	"gmx.de", "gmx.net", "web.de", "mail.com", "zoho.com", "yandex.com", "yandex.ru", "mail.ru", "fastmail.com", "hey.com",
	"qq.com", "163.com", "orange.fr", "free.fr", "laposte.net", "t-online.de", "libero.it", "tutanota.com", "duck.com",
]);

export function isFreeMail(domain: string): boolean {
	return FREE_MAIL_DOMAINS.has(domain.toLowerCase());
}
