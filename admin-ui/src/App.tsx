import { lazy, useState } from "react";
import { BrowserRouter, Route, Routes } from "react-router";

import { LoginPage } from "./auth/LoginPage";
import { PERMS, useMe } from "./auth/me";
import { ErrorAlert } from "./layout/ErrorAlert";
import { RequirePerms } from "./layout/Forbidden";
import { Loading } from "./layout/Loading";
import { Shell } from "./layout/Shell";
import { Providers, queryClientCreate } from "./providers";

// Каждый экран — свой файл сборки: первая загрузка тянет только оболочку.
const Dashboard = lazy(() => import("./screens/dashboard/Dashboard"));
const OrdersQueue = lazy(() => import("./screens/orders/OrdersQueue"));
const OrderCard = lazy(() => import("./screens/orders/OrderCard"));
const AssemblySheet = lazy(() => import("./screens/orders/AssemblySheet"));
const Products = lazy(() => import("./screens/catalog/Products"));
const ProductForm = lazy(() => import("./screens/catalog/ProductForm"));
const PriceGrid = lazy(() => import("./screens/catalog/PriceGrid"));
const Imports = lazy(() => import("./screens/imports/Imports"));
const Customers = lazy(() => import("./screens/customers/Customers"));
const CustomerCard = lazy(() => import("./screens/customers/CustomerCard"));
const SearchAnalytics = lazy(() => import("./screens/analytics/SearchAnalytics"));
const Integrations = lazy(() => import("./screens/integrations/Integrations"));

function Routed() {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorAlert error={me.error} />;
  if (!me.data) return <LoginPage />;
  const guard = (perms: readonly string[], element: React.ReactNode) => <RequirePerms perms={perms}>{element}</RequirePerms>;
  return (
    <Routes>
      <Route path="orders/:number/print" element={guard(PERMS.orders, <AssemblySheet />)} />
      <Route element={<Shell me={me.data} />}>
        <Route index element={<Dashboard />} />
        <Route path="orders" element={guard(PERMS.orders, <OrdersQueue />)} />
        <Route path="orders/:number" element={guard(PERMS.orders, <OrderCard />)} />
        <Route path="catalog" element={guard(PERMS.products, <Products />)} />
        <Route path="catalog/prices" element={guard(PERMS.grid, <PriceGrid />)} />
        <Route path="catalog/:id" element={guard(PERMS.products, <ProductForm />)} />
        <Route path="imports" element={guard(PERMS.imports, <Imports />)} />
        <Route path="customers" element={guard(PERMS.customers, <Customers />)} />
        <Route path="customers/:id" element={guard(PERMS.customers, <CustomerCard />)} />
        <Route path="analytics" element={guard(PERMS.searchAnalytics, <SearchAnalytics />)} />
        <Route path="integrations" element={guard(PERMS.integrations, <Integrations />)} />
        <Route path="*" element={<Dashboard />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const [client] = useState(queryClientCreate);
  return (
    <Providers client={client}>
      <BrowserRouter basename="/manage">
        <Routed />
      </BrowserRouter>
    </Providers>
  );
}
