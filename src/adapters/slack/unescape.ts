// Slack sends `&`, `<` and `>` typed into a slash command as `&amp;`, `&lt;` and `&gt;`
// (its own markup, mentions `<@U…>` and links `<https://…>`, uses the bare characters). We
// decode before parsing, so that "Room 3 & Lab" or a group "R&D" reach the commands as typed.
// A typed `<` that would start markup (`<@`, `<#`, `<!`) stays escaped: decoding it would turn
// the text "<@U0001>" someone typed into a mention of that person.
export function unescapeSlackText(text: string): string {
  return text
    .replace(/&lt;(?![@#!])/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
