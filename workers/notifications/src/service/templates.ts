// The words of each notification. Plain text: bodies are never HTML, so nothing needs escaping,
// but values that land in a subject are kept on one line (no header injection downstream).

const oneLine = (value: string, max = 100) => value.replace(/[\r\n\t]+/g, ' ').trim().slice(0, max)

export interface Message {
  subject: string
  body: string
}

export function welcomeMessage({ name }: { name: string }): Message {
  const who = oneLine(name) || 'there'
  return {
    subject: `Welcome to Edge Commerce, ${who}`,
    body: [`Hi ${who},`, '', 'your Edge Commerce account is ready. Happy shopping!', '', '— The Edge Commerce team'].join('\n'),
  }
}
