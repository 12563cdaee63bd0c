/** Web addresses of processes: `/app/processes/<workflowId>` (workflow IDs are `<kind-with-dashes>/<businessKey>`). */
export const processHref = (workflowId: string) => `/app/processes/${workflowId.split('/').map(encodeURIComponent).join('/')}`;

export const kindOfSegment = (segment: string) => segment.replace(/-/g, '_');

export const actionHref = (workflowId: string, action: string) => `${processHref(workflowId)}/actions/${encodeURIComponent(action)}`;
