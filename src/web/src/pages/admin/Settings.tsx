import { useEffect, useState } from 'react';
import { Button, Checkbox, Radio, RadioGroup, Switch, makeStyles } from '@fluentui/react-components';
import { api } from '../../api';
import { ErrorBar, Loading, Notice, PageHeading, Row, Section, labelOf, useAction, useLoad } from '../../components/ui';
import type { FieldOwnershipRow, FullSettings, Page } from '../../types';

const useStyles = makeStyles({
  switches: { display: 'flex', flexDirection: 'column', gap: '4px', margin: '0 0 12px' },
  fields: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
    gap: '0 12px',
    border: 'none',
    margin: '0 0 12px',
    padding: 0,
  },
  legend: { fontWeight: 600, marginBottom: '8px', padding: 0 },
});

type Editable = Pick<
  FullSettings,
  'userSource' | 'writeBackUpdate' | 'writeBackCreate' | 'writeBackDelete' | 'writeBackFields' | 'calendarSync'
>;
const pick = (s: FullSettings): Editable => ({
  userSource: s.userSource,
  writeBackUpdate: s.writeBackUpdate,
  writeBackCreate: s.writeBackCreate,
  writeBackDelete: s.writeBackDelete,
  writeBackFields: s.writeBackFields,
  calendarSync: s.calendarSync,
});

/**
 * The fields write-back may send, as the API documents them (the settings' schema in /openapi.json):
 * one list, the service's field catalogue, so the page never offers a field the API refuses.
 */
async function permittedFields(): Promise<string[]> {
  const doc = await api<{
    paths: Record<string, { patch?: { requestBody?: { content: Record<string, { schema: unknown }> } } }>;
  }>('/openapi.json');
  const schema = doc.paths['/api/admin/settings']?.patch?.requestBody?.content['application/json']?.schema as
    { properties?: { writeBackFields?: { items?: { enum?: string[] } } } } | undefined;
  return schema?.properties?.writeBackFields?.items?.enum ?? [];
}

/** The choices of the userSource setting, in words (docs/rules.md section 7.5). */
const USER_SOURCES: Array<{ value: FullSettings['userSource']; label: string }> = [
  { value: 'pull', label: 'The Graph sync: members of the synced groups, read from Microsoft Entra' },
  { value: 'push', label: "Entra's provisioning service over SCIM only (the Graph sync is off)" },
  {
    value: 'both',
    label: 'Both: the Graph sync keeps the users it links to Entra, SCIM pushes the others',
  },
];

/** A warning's title when it is not that the setting itself cannot take effect. */
const WARNING_TITLES: Record<string, string> = { 'pull-off': 'The Graph user sync is off.' };

/** Where users come from, write-back to Entra (which actions, which fields) and the calendar sync switch. */
export function SettingsPage() {
  const styles = useStyles();
  const settings = useLoad(() => api<FullSettings>('/api/admin/settings'), []);
  const fields = useLoad(permittedFields, []);
  const ownership = useLoad(() => api<Page<FieldOwnershipRow>>('/api/admin/settings/field-ownership'), []);
  const [draft, setDraft] = useState<Editable | null>(null);
  const [saved, setSaved] = useState<string[] | null>(null);
  const save = useAction();
  useEffect(() => {
    if (settings.data) setDraft(pick(settings.data));
  }, [settings.data]);

  const labels = new Map((ownership.data?.items ?? []).map((row) => [row.field, row.label]));
  const owner = new Map((ownership.data?.items ?? []).map((row) => [row.field, row.owner]));
  const set = (patch: Partial<Editable>) => {
    setSaved(null);
    setDraft({ ...draft!, ...patch });
  };
  const toggleField = (field: string, on: boolean) =>
    set({
      writeBackFields: on
        ? [...draft!.writeBackFields, field]
        : draft!.writeBackFields.filter((name) => name !== field),
    });
  const submit = async () => {
    const result = await save.run(() => api<FullSettings>('/api/admin/settings', { method: 'PATCH', body: draft }));
    if (result) {
      settings.setData(result);
      setSaved(result.changed ?? []);
    }
  };
  const s = settings.data;

  return (
    <>
      <PageHeading>Settings</PageHeading>
      <ErrorBar error={settings.error} />
      <ErrorBar error={fields.error} />
      {!draft ? <Loading /> : null}
      {s?.warnings.map((w) => (
        <Notice
          key={`${w.setting}-${w.code}`}
          intent="warning"
          title={WARNING_TITLES[w.code] ?? `${labelOf(w.setting)} cannot take effect.`}
        >
          {w.message}
        </Notice>
      ))}
      {draft ? (
        <>
          <Section title="Where HR users come from">
            <p>
              One source owns HR users, so the Graph sync and Entra&apos;s provisioning service never change the same
              person in turn.
            </p>
            <RadioGroup
              aria-label="Where HR users come from"
              value={draft.userSource}
              onChange={(_e, d) => set({ userSource: d.value as Editable['userSource'] })}
            >
              {USER_SOURCES.map((source) => (
                <Radio key={source.value} value={source.value} label={source.label} />
              ))}
            </RadioGroup>
          </Section>
          <Section title="Write-back to Microsoft Entra">
            <p>
              When HR changes a person, the connector can write the change to their Microsoft Entra user. It needs the
              User.ReadWrite.All permission: test the connection after switching this on.
            </p>
            <div className={styles.switches}>
              <Switch
                label="Write changed fields to Entra"
                checked={draft.writeBackUpdate}
                onChange={(_e, d) => set({ writeBackUpdate: d.checked })}
              />
              <Switch
                label="Create Entra users for people HR adds"
                checked={draft.writeBackCreate}
                onChange={(_e, d) => set({ writeBackCreate: d.checked })}
              />
              <Switch
                label="Disable Entra users HR deactivates"
                checked={draft.writeBackDelete}
                onChange={(_e, d) => set({ writeBackDelete: d.checked })}
              />
            </div>
            <fieldset className={styles.fields}>
              <legend className={styles.legend}>Fields HR may write to Entra</legend>
              {(fields.data ?? []).map((field) => (
                <Checkbox
                  key={field}
                  label={`${labels.get(field) ?? labelOf(field)}${owner.get(field) === 'entra' ? ' (Entra owns it now)' : ''}`}
                  checked={draft.writeBackFields.includes(field)}
                  onChange={(_e, d) => toggleField(field, d.checked === true)}
                />
              ))}
            </fieldset>
          </Section>
          <Section title="Calendars">
            <p>
              Brings each employee's Microsoft 365 calendars into HR and HR's events to Outlook. Employees choose which
              of their calendars take part. It needs the Calendars.ReadWrite permission.
            </p>
            <Switch
              label="Calendar sync"
              checked={draft.calendarSync}
              onChange={(_e, d) => set({ calendarSync: d.checked })}
            />
          </Section>
          <Row>
            <Button appearance="primary" onClick={() => void submit()} disabled={save.busy}>
              Save
            </Button>
          </Row>
          <ErrorBar error={save.error} />
          {saved ? (
            <Notice intent="success" title="Saved.">
              {saved.length ? `Changed: ${saved.map(labelOf).join(', ')}.` : 'Nothing had changed.'}
            </Notice>
          ) : null}
        </>
      ) : null}
    </>
  );
}
