// The frame of both apps: a header with the product name and the signed-in user, a navigation
// that folds behind a burger on small screens, and the page's main landmark.
import { Anchor, AppShell, Box, Burger, Container, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { createContext, type ReactNode, useContext, useEffect, useId } from 'react';
import { Link, useLocation } from 'react-router';

export interface NavItem {
  to: string;
  label: string;
  /** Active only on this exact path, not below it. */
  end?: boolean;
  /** Shown after the label: a count, a badge. */
  extra?: ReactNode;
}

/** Links under a common label in the navigation (the console's Portal pages). */
export interface NavSection {
  label: string;
  items: NavItem[];
}

/**
 * The name a provider gave their portal (its branding): when set, it stands for the product in
 * the browser tab's title.
 */
export const ProductNameContext = createContext<string | null>(null);

export function AppLayout({
  product,
  logo,
  home,
  navItems,
  navSections = [],
  headerEnd,
  children,
}: {
  /** `Turnpike developer portal`, `Turnpike console`. */
  product: string;
  /** An image URL shown before the name, with the name as its text. */
  logo?: string | null;
  home: string;
  navItems: NavItem[];
  /** After `navItems`, each under its label. */
  navSections?: NavSection[];
  /** The signed-in user and the sign-out button, or sign-in links. */
  headerEnd?: ReactNode;
  children: ReactNode;
}) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { pathname } = useLocation();
  const sectionId = useId();
  // A link followed on a phone should show its page, not the open menu.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation on purpose
  useEffect(() => close(), [pathname, close]);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <Anchor href="#main" className="skip-link">
        Skip to content
      </Anchor>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
              aria-expanded={opened}
              aria-controls="main-navigation"
            />
            <ProductLink product={product} logo={logo} home={home} />
          </Group>
          <Box visibleFrom="xs">{headerEnd}</Box>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" id="main-navigation" aria-label="Main">
        <Stack gap={4}>
          {navItems.map((item) => (
            <NavItemLink key={item.to} item={item} pathname={pathname} />
          ))}
        </Stack>
        {navSections.map((section, index) => (
          <Box key={section.label} role="group" aria-labelledby={`${sectionId}-${index}`} mt="md">
            <Text id={`${sectionId}-${index}`} size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4}>
              {section.label}
            </Text>
            <Stack gap={4}>
              {section.items.map((item) => (
                <NavItemLink key={item.to} item={item} pathname={pathname} />
              ))}
            </Stack>
          </Box>
        ))}
        {/* On phones the header hides the user area; the navigation carries it instead. */}
        <Box hiddenFrom="xs" mt="md">
          {headerEnd}
        </Box>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Container size="lg" px={0}>
          {children}
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}

function NavItemLink({ item, pathname }: { item: NavItem; pathname: string }) {
  const active = item.end
    ? pathname === item.to
    : pathname === item.to || pathname.startsWith(`${item.to.replace(/\/$/, '')}/`);
  return (
    <NavLink
      component={Link}
      to={item.to}
      label={item.label}
      rightSection={item.extra}
      active={active}
      variant="filled"
      aria-current={active ? 'page' : undefined}
    />
  );
}

/** The product's name linking home; with a logo, the logo carries the name (its alt text). */
function ProductLink({
  product,
  logo,
  home,
}: {
  product: string;
  logo?: string | null | undefined;
  home: string;
}) {
  return (
    <Anchor component={Link} to={home} underline="never" c="inherit" fw={700} size="lg" miw={0}>
      {logo ? (
        <Group component="span" gap="xs" wrap="nowrap">
          <img src={logo} alt={product} style={{ height: 32, maxWidth: 160, objectFit: 'contain' }} />
          <Text component="span" inherit truncate="end" aria-hidden="true">
            {product}
          </Text>
        </Group>
      ) : (
        product
      )}
    </Anchor>
  );
}

/** A layout for pages outside the signed-in area: sign-in, sign-up, password reset. */
export function CenteredLayout({
  product,
  logo,
  home,
  children,
}: {
  product: string;
  logo?: string | null;
  home: string;
  children: ReactNode;
}) {
  return (
    // A branded portal sets --tp-page-tint from its own background colour.
    <Box bg="var(--tp-page-tint, var(--mantine-color-gray-0))" mih="100vh">
      <Box component="header" py="md" px="md">
        <ProductLink product={product} logo={logo} home={home} />
      </Box>
      <Container component="main" id="main" size={460} py="xl">
        {children}
      </Container>
    </Box>
  );
}

/** The page's title (its one h1), what it is for, and its main actions. */
export function PageHeader({
  title,
  description,
  actions,
  before,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  /** Above the title: a breadcrumb back to the list. */
  before?: ReactNode;
}) {
  return (
    <Stack gap={6} mb="lg">
      {before}
      <Group justify="space-between" align="flex-start" gap="sm">
        <Title order={1} fz={{ base: 24, sm: 28 }} style={{ overflowWrap: 'anywhere' }}>
          {title}
        </Title>
        {actions && <Group gap="xs">{actions}</Group>}
      </Group>
      {description && (
        <Text c="dimmed" component="div">
          {description}
        </Text>
      )}
    </Stack>
  );
}

/** Sets the browser tab's title, so that history and screen readers name the page. */
export function usePageTitle(title: string, product: string): void {
  const name = useContext(ProductNameContext) ?? product;
  useEffect(() => {
    document.title = `${title} · ${name}`;
  }, [title, name]);
}
