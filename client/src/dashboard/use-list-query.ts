import { useLocation } from './components/link';
import { parsePage, updateSearch } from './paging';
import { navigate } from './router';

/**
 * A table's page, filters and open detail live in the URL query, so reloads and shared links keep them. Changing a
 * filter goes back to page 1; opening a detail is a history entry, closing it replaces that entry.
 */
export function useListQuery() {
  const { pathname, search } = useLocation();
  const params = new URLSearchParams(search);
  return {
    params,
    page: parsePage(params.get('page')),
    setPage: (page: number) => navigate(pathname + updateSearch(search, { page })),
    setFilter: (key: string, value: string | undefined) =>
      navigate(pathname + updateSearch(search, { [key]: value, page: undefined })),
    openDetail: (key: string, value: string) => navigate(pathname + updateSearch(search, { [key]: value })),
    closeDetail: (key: string) => navigate(pathname + updateSearch(search, { [key]: undefined }), { replace: true }),
  };
}

/** Row props that make a table row open its detail by click, Enter or Space, like a button would. */
export function rowActivation(open: () => void, label: string) {
  return {
    tabIndex: 0,
    'aria-label': label,
    className: 'clickable-row',
    onClick: open,
    onKeyDown: (event: {
      key: string;
      target: EventTarget;
      currentTarget: EventTarget;
      preventDefault: () => void;
    }) => {
      if ((event.key === 'Enter' || event.key === ' ') && event.target === event.currentTarget) {
        event.preventDefault();
        open();
      }
    },
  };
}
