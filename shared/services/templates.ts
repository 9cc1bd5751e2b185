/** Reading and deleting message templates (no Liquid engine: these functions stay small). */
import { NotFound } from '../domain/errors.ts';
import type { Template } from '../domain/template.ts';
import type { Caller, Deps } from '../runtime/ports.ts';

export async function getTemplate(deps: Pick<Deps, 'templates'>, caller: Caller, templateId: string): Promise<Template> {
  const template = await deps.templates.get(caller.tenantId, templateId);
  if (!template) throw new NotFound(`template ${templateId}`);
  return template;
}

export async function deleteTemplate(deps: Pick<Deps, 'templates'>, caller: Caller, templateId: string): Promise<void> {
  await deps.templates.delete(caller.tenantId, templateId);
}
