import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes } from "react-router";

import { Providers, queryClientCreate } from "../providers";

/** Отрисовать экран по пути path внутри тех же обёрток, что в приложении. */
export function renderAt(path: string, pattern: string, element: ReactElement) {
  const client = queryClientCreate();
  return render(
    <Providers client={client}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path={pattern} element={element} />
          <Route path="*" element={<div data-testid="elsewhere" />} />
        </Routes>
      </MemoryRouter>
    </Providers>,
  );
}
