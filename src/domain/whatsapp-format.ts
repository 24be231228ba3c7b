/**
 * A WhatsApp message as HTML, the way a phone shows it: escaped, `*bold*`, `_italic_`,
 * `~strike~` and ```monospace```, links as links (their underscores and asterisks untouched),
 * line breaks kept by the container (`white-space: pre-wrap`). Self-contained, so the web
 * chat's script carries the same function (its source is put into the page).
 */
export function whatsappHtml(text: string): string {
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const links: string[] = [];
  let t = escape(text).replace(/https?:\/\/[^\s<]+/g, (u) => {
    links.push(u);
    return `\u0000${links.length - 1}\u0000`;
  });
  t = t.replace(/```([\s\S]+?)```/g, '<code>$1</code>');
  t = t.replace(/(^|[\s(])\*(\S(?:[^*\n]*?\S)?)\*(?=$|[\s).,!?:;])/gm, '$1<b>$2</b>');
  t = t.replace(/(^|[\s(])_(\S(?:[^_\n]*?\S)?)_(?=$|[\s).,!?:;])/gm, '$1<i>$2</i>');
  t = t.replace(/(^|[\s(])~(\S(?:[^~\n]*?\S)?)~(?=$|[\s).,!?:;])/gm, '$1<s>$2</s>');
  return t.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => `<a href="${links[Number(i)]}" target="_blank" rel="noopener">${links[Number(i)]}</a>`);
}
