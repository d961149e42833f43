import { useEffect, useState } from 'preact/hooks';

/** A route read from the hash: `#/hooks/abc/editor?x=1` → parts ['hooks','abc','editor'] and params. */
export interface Route {
  parts: string[];
  params: URLSearchParams;
}

function parse(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parse(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** A link target: `href('hooks', id, 'editor')` → `#/hooks/<id>/editor`, with optional params. */
export function href(...parts: (string | Record<string, string | undefined>)[]): string {
  const params = parts.find((p): p is Record<string, string | undefined> => typeof p === 'object');
  const path = parts.filter((p): p is string => typeof p === 'string').map(encodeURIComponent).join('/');
  const query = params ? new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString() : '';
  return `#/${path}${query ? `?${query}` : ''}`;
}

export const navigate = (target: string) => {
  location.hash = target;
};
